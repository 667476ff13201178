#!/usr/bin/env python3
"""Corpus check of DW003 (issue 14): every rewrite of the final image's base to a slim or
alpine variant must keep every tool the stage calls. For each file that
`dockwright fix --batch --unsafe --select DW003` changes, this script reads the output
with BuildKit's parser (PyPI dockerfile, from the oracle venv), finds the rewritten FROM
and the stages the final stage is built on, collects the programs their RUNs call (the
first word of every simple command, found with a small tokenizer of its own, not
dockwright's shell parser), and checks each against the table of what the smaller
variant lacks. That table is read from Sources/DockwrightRules/Support/ImageTools.swift,
the reviewed data the rule uses. A program the smaller base lacks must be installed by an
`apt-get install` / `apk add` earlier in the output (the rewrite inserts one).

usage: scripts/check-small-base.py [--selftest] [DOCKWRIGHT_BIN] [CORPUS_DIR]
  --selftest  strip the installs the rewrites insert before checking, as the rule did
              before issue 14: the check must then find rewrites that drop a tool (exit 0
              when it does, 1 when it finds none)
Last line: `small-base: N rewrites, M drop a tool the stage calls` (exit 1 when M > 0).
"""
import json
import os
import re
import shlex
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TABLE = os.path.join(REPO, "Sources/DockwrightRules/Support/ImageTools.swift")


def load_table():
    """(lacking_on_slim, lacking_on_alpine, kept_by_image) from the Swift data."""
    text = open(TABLE).read()
    layers = {}
    for name, body in re.findall(r"static let (\w+): \[ImageTool\] = \[(.*?)\n    \]", text, re.S):
        tools = []
        for args in re.findall(r"ImageTool\(([^)]*)\)", body):
            program = re.match(r'\s*"([^"]+)"', args).group(1)
            debian = re.search(r'debian: "([^"]+)"', args).group(1)
            alpine = re.search(r'alpine: "([^"]+)"', args)
            tools.append({"program": program, "debian": debian, "alpine": alpine.group(1) if alpine else None,
                          "busybox": "busyBox: true" in args})
        layers[name] = tools

    def image_map(var):
        body = re.search(r"static let %s: \[String: \[ImageTool\]\] = \[(.*?)\n    \]" % var, text, re.S).group(1)
        out = {}
        for image, expr in re.findall(r'^\s*"([\w-]+)": ([\w +]+),\s*$', body, re.M):
            out[image] = [t for layer in expr.split("+") for t in layers[layer.strip()]]
        return out

    kept_body = re.search(r"static let keptByImage: \[String: Set<String>\] = \[(.*?)\n    \]", text, re.S).group(1)
    kept = {image: set(re.findall(r'"([^"]+)"', progs))
            for image, progs in re.findall(r'"([\w-]+)": \[([^\]]*)\]', kept_body)}
    return image_map("lackingOnSlim"), image_map("lackingOnAlpine"), kept


SEPARATORS = {"&&", "||", ";", "|", "&", "(", ")", "{", "}", "!", "then", "do", "else", "elif", "if", "while",
              "until", "time", ";;"}
WRAPPERS = {"sudo", "env", "nice", "nohup", "exec", "command", "xargs", "timeout", "su-exec", "gosu"}


def commands(script):
    """Each simple command of a script as its word list, approximately: split at shell
    separators, skip assignments and wrappers. Unreadable scripts fall back to words."""
    script = script.replace("$(", " ( ").replace("`", " ` ")
    try:
        lexer = shlex.shlex(script, posix=True, punctuation_chars=";&|(){}")
        lexer.whitespace_split = True
        words = list(lexer)
    except ValueError:
        words = script.split()
    current, out = [], []
    for word in words + [";"]:
        if word in SEPARATORS or word == "`" or re.fullmatch(r"[;&|()]+", word):
            if current:
                out.append(current)
            current = []
            continue
        if not current and (re.match(r"^[A-Za-z_][A-Za-z0-9_]*=", word) or word in WRAPPERS):
            continue
        current.append(word)
    return out


def installs(words):
    """Packages an apt-get/apt/apk install command line names."""
    if not words:
        return []
    name = os.path.basename(words[0])
    if name in ("apt-get", "apt", "aptitude") and "install" in words[1:]:
        rest = words[words.index("install") + 1:]
    elif name == "apk" and "add" in words[1:]:
        rest = words[words.index("add") + 1:]
    else:
        return []
    return [w.split("=")[0] for w in rest if not w.startswith("-")]


def stage_chain(instructions):
    """The instruction lists of the stages the final stage is built on, root first, and
    the index of the root stage's FROM."""
    stages, names = [], {}
    for index, ins in enumerate(instructions):
        if ins.cmd.upper() == "FROM":
            stages.append({"from": index, "body": [], "base": ins.value[0] if ins.value else ""})
            if len(ins.value) == 3:
                names[ins.value[2].lower()] = len(stages) - 1
        elif stages:
            stages[-1]["body"].append(ins)
    chain, current = [], len(stages) - 1
    while current is not None and current not in chain:
        chain.append(current)
        current = names.get(stages[current]["base"].lower())
    return [stages[i] for i in reversed(chain)]


META = {"build-essential": ["gcc", "g++", "make", "cpp", "dpkg-dev"], "build-base": ["gcc", "g++", "make"],
        "gnupg2": ["gnupg"], "gpg": ["gnupg"], "python3-pip": ["python3"], "python3-dev": ["python3"],
        "xz": ["xz-utils"]}


def check_file(path, output, tables, parse):
    slim_table, alpine_table, kept = tables
    before = parse(open(path, encoding="utf-8", errors="surrogateescape").read())
    after = parse(output)
    chain = stage_chain(after)
    if not chain:
        return None, ["no stages in the output"]
    old_chain = stage_chain(before)
    old_base, new_base = old_chain[0]["base"], chain[0]["base"]
    if old_base == new_base:
        return None, []
    image = new_base.split("/")[-1].split(":")[0]
    tag = new_base.split(":")[-1]
    alpine = "alpine" in tag
    lacking = {}
    for tool in (alpine_table if alpine else slim_table).get(image, []):
        if alpine and tool["busybox"] or tool["program"] in kept.get(image, set()):
            continue
        lacking[tool["program"]] = tool
    problems, installed = [], set()
    for stage in chain:
        for ins in stage["body"]:
            if ins.cmd.upper() != "RUN" or ins.json:
                continue
            script = " ".join(ins.value) + "".join("\n" + h.content for h in ins.heredocs or ())
            for words in commands(script):
                for package in installs(words):
                    installed.add(package)
                    installed.update(META.get(package, []))
                program = os.path.basename(words[0])
                tool = lacking.get(program)
                if tool is None:
                    continue
                package = tool["alpine"] if alpine else tool["debian"]
                if package not in installed and program not in installed:
                    problems.append("%s -> %s: `%s` is called (line %d) but %s lacks it and nothing installs %s"
                                    % (old_base, new_base, program, ins.start_line, new_base, package))
    return (old_base, new_base), problems


INSERTED_INSTALL = re.compile(
    r"(apt-get update && apt-get install -y --no-install-recommends [a-z0-9.+ -]+ && rm -rf /var/lib/apt/lists/\* && "
    r"|apk add --no-cache [a-z0-9.+ -]+ && )")


def main():
    args = sys.argv[1:]
    selftest = "--selftest" in args
    args = [a for a in args if a != "--selftest"]
    binary = args[0] if args else os.path.join(REPO, ".build/release/dockwright")
    corpus = args[1] if len(args) > 1 else os.path.join(REPO, "../shared/corpus/files")
    import dockerfile  # the oracle venv's BuildKit parser binding

    def parse(text):
        try:
            return dockerfile.parse_string(text)
        except dockerfile.GoParseError:
            return ()

    tables = load_table()
    files = sorted(os.path.join(corpus, f) for f in os.listdir(corpus) if f.endswith(".Dockerfile"))
    run = subprocess.run([binary, "fix", "--batch", "--unsafe", "--isolated", "--select", "DW003"],
                         input="\n".join(files) + "\n", capture_output=True, text=True)
    rewrites, dropped, with_install = 0, 0, 0
    for line in run.stdout.splitlines():
        result = json.loads(line)
        if not result.get("changed"):
            continue
        output = result["output"]
        if selftest:
            original = open(result["path"], encoding="utf-8", errors="surrogateescape").read()
            if not INSERTED_INSTALL.search(original):
                output = INSERTED_INSTALL.sub("", output, count=1)
        change, problems = check_file(result["path"], output, tables, parse)
        if change is None and not problems:
            continue
        rewrites += 1
        if any(" and install " in fix.get("title", "") for fix in result.get("applied") or ()):
            with_install += 1
        if problems:
            dropped += 1
            for problem in problems:
                if not selftest:
                    print("%s: %s" % (os.path.basename(result["path"]), problem))
    print("small-base: %d rewrites (%d also install what the smaller base lacks), %d drop a tool the stage calls"
          % (rewrites, with_install, dropped))
    if selftest:
        print("small-base selftest: %s" % ("the check catches the drops" if dropped else "NOTHING caught"))
        return 0 if dropped else 1
    return 1 if dropped else 0


if __name__ == "__main__":
    sys.exit(main())
