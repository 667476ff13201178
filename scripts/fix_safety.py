#!/usr/bin/env python3
"""The checker behind scripts/check-fix-safety.sh: runs `dockwright fix
--batch` (safe) and `fix --batch --unsafe` over a list of Dockerfiles and
proves what can be proved about the results. Run it with the oracle venv's
python (scripts/lib/venv.sh): it parses with PyPI dockerfile==3.4.0
(BuildKit's parser v0.12.5) through scripts/oracle_dump.py and reads shell
with shfmt through scripts/shfmt_commands.py.

Usage:
  fix_safety.py --list FILES --cmd CMD [--out DIR] [--oracle-cache DIR]
                [--shfmt-cache DIR] [--jobs N] [--show N] [--timeout S]
                [--expect-breaks LOG]
  CMD is a shell command line (run with bash -c) that reads paths on stdin
  and prints one JSON line per file; the unsafe run is `CMD --unsafe`.

Per mode (safe, unsafe), every file:
  * no crash: the batch prints, in order, one well-formed line per path
    ({"path", "changed", "output", "applied", "rejected", "converged",
    "error"}); a file without its line (process died, line not JSON, wrong
    shape) is a crash; the rest of the list is then run again, so one crash
    blames one file. Exit status 0 or 1 is fine when every line came;
  * "error" is null when the oracle accepts the input; a file the oracle
    rejects comes back unchanged; `changed` says whether output != input;
    safe mode applies no DW fix;
  * the output (written to DIR/<mode>/<id>.Dockerfile) parses with the oracle
    and keeps the parser-directive block (`# syntax=`, `# escape=`, ...);
  * idempotent: fixing the output again (changed files only) returns it
    unchanged.
Both modes first put the input's and the output's instructions in the
canonical form of scripts/fix_canon.py for the fixes that were applied (what
each rule may change: inserted flags, casing, quoting...), and check that
inserted flags were only inserted. Then:
Safe mode, instruction by instruction over the oracle's parses: equal
instructions (cmd case-insensitively, sub_cmd, json, flags, value, heredocs;
ONBUILD also its text, as the binding drops ONBUILD's flags) match 1:1;
ADD -> COPY with everything else equal is allowed when ADD's sources are
plain local paths (no URL, git, archive suffix, variable, --checksum,
--keep-git-dir, --unpack); one output RUN may stand for k >= 2 consecutive
shell-form RUNs with equal flags and no heredocs (a merge), which must:
  * merge-text     equal the scripts (oracle value[0]) joined by ` && `,
                   modulo whitespace runs (the parser keeps the indentation of
                   continuation lines); brace groups `{ ...; }` around one
                   script or around a joined run of them, nested or not, are
                   allowed;
  * merge-commands give shfmt's simple-command sequence (name + literal args)
                   equal to the concatenation of the originals' sequences;
  * state-leak     every script but the last leaves no state in its shell
                   that the later ones would see: in the main shell (not in
                   subshells, pipelines, substitutions) cd/pushd/popd,
                   export/unset/readonly/declare/typeset/local/let/read/
                   mapfile/readarray/getopts/bare NAME=value, set/shopt/trap/
                   ulimit/umask/hash/enable, source/./eval, alias/unalias/
                   function definitions, exit/exec/return/logout, a
                   background `&`, a trailing comment; a `for` variable only
                   when a later script expands it;
  * exit-status    a script joined bare after a `&&` (not first in its
                   brace group or in the RUN) is one and-or list without a
                   top-level `||` (else `a && b || c` or `a && b; c` would run
                   c after a failure that used to stop the build);
  * non-posix      happen in a stage whose shell is POSIX (not SHELL
                   pwsh/powershell/cmd, not a Windows base image).
Unsafe mode: every original instruction is found in the output, in the same
stage (moves allowed), except ADD -> COPY (checked as above), the final
FROM's tag when DW003 was applied (same image name, tag made -slim/-alpine),
and RUNs merged into an output RUN (each such RUN is checked like a safe
merge, its parts taken in the order they appear); extra output instructions
must be COPY with DW001 applied.

--expect-breaks LOG (self test with `mock_fix.py --break`): every (id, mode)
the mock damaged must be flagged in that mode, and no other file flagged;
prints `mock-breaks: N caught, M missed` (after the fix-safety line) and
the exit status follows it.
Exit status: 0 no violation, 1 violations, 2 setup errors.
"""
import argparse
import collections
import concurrent.futures
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import fix_canon  # noqa: E402
import oracle_dump  # noqa: E402  (exits 2 when `dockerfile` is missing)
import shfmt_commands  # noqa: E402

FACTS_VERSION = "1"  # bump when facts() changes
MODES = ("safe", "unsafe")
MAX_RESTARTS = 50
ARCHIVE = (".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz", ".tbz2", ".tar.xz", ".txz", ".tar.zst",
           ".tzst", ".tar.lz", ".tar.lzma", ".tlz", ".tar.z", ".taz", ".gz", ".bz2", ".xz", ".zst",
           ".lz4", ".lzma")
DIRECTIVE = re.compile(r"^#\s*([A-Za-z][A-Za-z0-9]*)\s*=\s*(.*?)\s*$")
WINDOWS = re.compile(r"windows|nanoserver|servercore", re.I)
VAR = re.compile(r"\$(?:\{([A-Za-z_][A-Za-z0-9_]*)[^}]*\}|([A-Za-z_][A-Za-z0-9_]*))")
NON_POSIX = {"pwsh", "powershell", "cmd"}
# builtins whose effect outlives the command (see StateLeak in the Swift sources)
LEAK_BUILTINS = {
    "cd": "cd", "pushd": "cd", "popd": "cd",
    "export": "variables", "unset": "variables", "readonly": "variables", "declare": "variables",
    "typeset": "variables", "local": "variables", "nameref": "variables", "let": "variables",
    "read": "variables", "mapfile": "variables", "readarray": "variables", "getopts": "variables",
    "shift": "variables",
    "set": "shell options", "shopt": "shell options", "trap": "shell options",
    "ulimit": "shell options", "umask": "shell options", "hash": "shell options",
    "enable": "shell options",
    "source": "sources a file", ".": "sources a file", "eval": "sources a file",
    "alias": "defines commands", "unalias": "defines commands",
    "exit": "ends the shell", "exec": "ends the shell", "return": "ends the shell",
    "logout": "ends the shell",
}
OP_AND, OP_OR = 10, 11  # shfmt BinCmdOperator: && ||  (12 |, 13 |&)


def dumps(obj):
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def corpus_id(path):
    base = os.path.basename(path)
    for suf in (".Dockerfile", ".dockerfile"):
        if base.endswith(suf):
            return base[: -len(suf)]
    return base


def norm_ws(s):
    return " ".join(s.split())


def short(s, n=160):
    s = repr(s) if not isinstance(s, str) else s
    return s if len(s) <= n else s[: n - 3] + "..."


# --------------------------------------------------------------------------
# running the fixer

RECORD_KEYS = {"path", "changed", "output", "applied", "rejected", "converged", "error"}


def shape_error(rec):
    if not isinstance(rec, dict):
        return "not an object"
    missing = RECORD_KEYS - set(rec)
    if missing:
        return "missing keys %s" % ", ".join(sorted(missing))
    if not isinstance(rec["changed"], bool) or not isinstance(rec["converged"], bool):
        return "changed/converged not booleans"
    if not isinstance(rec["output"], str):
        return "output not a string"
    if rec["error"] is not None and not isinstance(rec["error"], str):
        return "error neither string nor null"
    for k in ("applied", "rejected"):
        v = rec[k]
        if not isinstance(v, list) or not all(
                isinstance(x, dict) and isinstance(x.get("code"), str) and isinstance(x.get("title"), str)
                for x in v):
            return "%s is not a list of {code, title}" % k
    return None


def run_batch(cmd_line, paths, timeout):
    """Run the fixer over `paths`, restarting after crashes.
    Returns (records: path -> record, crashes: path -> reason, notes, seconds)."""
    t0 = time.monotonic()
    records, crashes, notes = {}, {}, []
    pending = list(paths)
    restarts = 0
    while pending:
        proc = subprocess.Popen(["bash", "-c", cmd_line], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                start_new_session=True)
        data = ("\n".join(pending) + "\n").encode("utf-8", "surrogateescape")
        timed_out = False
        try:
            out, err = proc.communicate(data, timeout=timeout)
        except subprocess.TimeoutExpired:
            timed_out = True
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except OSError:
                pass
            out, err = proc.communicate()
        rc = proc.returncode
        tail = err.decode("utf-8", "replace").strip().splitlines()[-3:]
        why = ("timed out after %ds" % timeout) if timed_out else "exit status %s" % rc
        position = {p: k for k, p in enumerate(pending)}
        idx = 0
        lines = out.split(b"\n")
        if lines and lines[-1] == b"":
            lines.pop()
        for raw in lines:
            if idx >= len(pending):
                notes.append("extra output line: %s" % short(raw.decode("utf-8", "replace"), 100))
                continue
            try:
                rec = json.loads(raw.decode("utf-8", "surrogateescape"))
                p = rec.get("path") if isinstance(rec, dict) else None
            except ValueError as e:
                crashes[pending[idx]] = "malformed output line (%s): %s" % (
                    e, short(raw.decode("utf-8", "replace"), 80))
                idx += 1
                continue
            if p != pending[idx]:
                k = position.get(p)
                if k is None or k < idx:
                    crashes[pending[idx]] = "output line for another path: %s" % short(str(p), 80)
                    idx += 1
                    continue
                for q in pending[idx:k]:
                    crashes[q] = "no output line (skipped)"
                idx = k
            bad = shape_error(rec)
            if bad:
                crashes[pending[idx]] = "malformed record: %s" % bad
            else:
                records[pending[idx]] = rec
            idx += 1
        if idx >= len(pending):
            if rc is None or rc not in (0, 1):
                notes.append("batch of %d files: %s although every line came%s"
                             % (len(pending), why, (": " + " | ".join(tail)) if tail else ""))
            break
        crashes[pending[idx]] = "crash: no output line (%s%s)" % (why, (": " + " | ".join(tail)) if tail else "")
        pending = pending[idx + 1:]
        restarts += 1
        if restarts > MAX_RESTARTS and pending:
            for q in pending:
                crashes[q] = "not run: more than %d crashes" % MAX_RESTARTS
            break
    return records, crashes, notes, time.monotonic() - t0


# --------------------------------------------------------------------------
# Dockerfile level

def directives(text):
    out = []
    for i, line in enumerate(text.split("\n")):
        line = line.rstrip("\r")
        if i == 0:
            line = line.lstrip("\ufeff")
        m = DIRECTIVE.match(line)
        if not m:
            break
        out.append((m.group(1).lower(), m.group(2)))
    return out


def stage_info(instrs):
    """Per instruction: (stage index, POSIX shell?) following our reading of
    BuildKit (as scripts/mock_shell_commands.py): global ARG defaults are
    substituted in FROM, FROM <earlier stage> inherits its shell, SHELL
    pwsh/powershell/cmd or a Windows-looking base image are not POSIX."""
    global_args, stages = {}, {}
    windows, posix, cur, seen_from, stage = False, True, None, False, 0
    out = []
    for ins in instrs:
        cmd = (ins.get("cmd") or "").upper()
        val = ins.get("value") or []
        if cmd == "ARG" and not seen_from:
            for v in val:
                k, eq, d = v.partition("=")
                global_args[k] = d if eq else ""
        elif cmd == "FROM":
            if cur:
                stages[cur] = (windows, posix)
            if seen_from:
                stage += 1
            seen_from = True
            image = VAR.sub(lambda m: global_args.get(m.group(1) or m.group(2), ""), val[0] if val else "")
            plat = " ".join(f for f in ins.get("flags") or () if f.startswith("--platform"))
            if image.lower() in stages:
                windows, posix = stages[image.lower()]
            else:
                windows = bool(WINDOWS.search(image) or WINDOWS.search(plat))
                posix = True
            cur = val[2].lower() if len(val) >= 3 and val[1].lower() == "as" else None
        elif cmd == "SHELL" and ins.get("json") and val:
            prog = re.split(r"[\\/]", val[0])[-1].lower()
            prog = prog[:-4] if prog.endswith(".exe") else prog
            posix = prog not in NON_POSIX
        out.append((stage, posix and not windows))
    return out


def onbuild_text(ins):
    if (ins.get("cmd") or "").upper() != "ONBUILD":
        return None
    t = norm_ws(ins.get("original") or "")
    m = re.match(r"(?i)onbuild\s+(\S+)(.*)$", t)
    return ("ONBUILD " + m.group(1).upper() + m.group(2)) if m else t


def ikey(ins):
    return ((ins.get("cmd") or "").upper(), (ins.get("sub_cmd") or "").upper(), bool(ins.get("json")),
            tuple(ins.get("flags") or ()), tuple(ins.get("value") or ()),
            tuple((h["name"], h["file_descriptor"], h["content"]) for h in ins.get("heredocs") or ()),
            onbuild_text(ins))


def as_copy(ins):
    """ikey of the instruction with ADD made COPY (top level or under ONBUILD), or None."""
    cmd, sub = (ins.get("cmd") or "").upper(), (ins.get("sub_cmd") or "").upper()
    if cmd == "ADD":
        d = dict(ins, cmd="COPY")
    elif cmd == "ONBUILD" and sub == "ADD":
        orig = re.sub(r"(?i)^(\s*onbuild\s+)add", r"\1COPY", ins.get("original") or "")
        d = dict(ins, sub_cmd="COPY", original=orig)
    else:
        return None
    return ikey(d)


def add_problem(ins):
    """Why ADD -> COPY may change meaning here, or None."""
    for f in ins.get("flags") or ():
        name = f.split("=", 1)[0].lower()
        if name in ("--checksum", "--keep-git-dir", "--unpack"):
            return "ADD %s" % f
    if (ins.get("cmd") or "").upper() == "ONBUILD":
        words = (ins.get("original") or "").split()[2:]
        if any(w.startswith("--") for w in words):
            return "ONBUILD ADD with flags (not visible to the oracle binding)"
    vals = list(ins.get("value") or ())
    if ins.get("heredocs"):
        return None
    for src in vals[:-1]:
        s = src.strip("\"'")
        low = s.lower()
        if "$" in s:
            return "source %s is a variable (could be a URL or archive)" % src
        if "://" in low or low.startswith("git@") or low.endswith(".git") or ".git#" in low:
            return "source %s is remote (COPY cannot fetch it)" % src
        if low.endswith(ARCHIVE):
            return "source %s looks like an archive (ADD extracts it)" % src
    return None


def parse_merge(text, start, pick, done):
    """Read `text` (whitespace normalised) as a merge:
         seq  := elem (" && " elem)*
         elem := "{ " seq "; }" | "{ " seq " }" | one original script
    pick(state) yields (script text, next state, member) for the scripts that
    may come next; done(state) says whether all that must be used was.
    Returns [(member, exposed)] for the first reading found, or None;
    `exposed`: the script is a bare element after the first of its sequence,
    so its top-level list is joined straight to the && before it."""

    def elem(pos, state, nonfirst):
        if text.startswith("{ ", pos):
            for p2, st2, ms in seq(pos + 2, state):
                for close in ("; }", " }"):
                    if text.startswith(close, p2):
                        yield p2 + len(close), st2, ms
        for t, st2, m in pick(state):
            if t and text.startswith(t, pos):
                yield pos + len(t), st2, [(m, nonfirst)]

    def rest(pos, state, acc):
        yield pos, state, acc
        if text.startswith(" && ", pos):
            for p2, st2, ms in elem(pos + 4, state, True):
                yield from rest(p2, st2, acc + ms)

    def seq(pos, state):
        for p1, st1, ms in elem(pos, state, False):
            yield from rest(p1, st1, ms)

    for pos, state, ms in seq(0, start):
        if pos == len(text) and done(state):
            return ms
    return None


def match_join(text, parts):
    """`text` as a merge of all `parts`, in order: [exposed?] or None."""
    n = len(parts)
    r = parse_merge(text, 0, lambda k: [(parts[k], k + 1, k)] if k < n else [], lambda k: k == n)
    return None if r is None else [e for _, e in r]


def decompose(text, parts):
    """`text` as a merge of some of `parts` ([(text, index)]), in any order:
    [(index, exposed?)] or None."""
    def pick(remaining):
        seen = set()
        for k, (t, i) in enumerate(remaining):
            if t not in seen:
                seen.add(t)
                yield t, remaining[:k] + remaining[k + 1:], i

    return parse_merge(text, tuple(parts), pick, lambda r: True) if text else None


def final_stage_from_chain(instructions):
    """Indices of the FROMs the final stage is built on: its own FROM and, when it
    starts from an earlier stage (`FROM base`), that stage's FROM, and so on. DW003
    rewrites the root of this chain, the image the final stage really ships."""
    froms = [i for i, o in enumerate(instructions) if (o.get("cmd") or "").upper() == "FROM" and o.get("value")]
    names = {}
    for i in froms:
        value = instructions[i]["value"]
        if len(value) == 3 and value[1].lower() == "as":
            names[value[2].lower()] = i
    chain = set()
    current = froms[-1] if froms else None
    while current is not None and current not in chain:
        chain.add(current)
        base = instructions[current]["value"][0].lower()
        current = names.get(base) if names.get(base, len(instructions)) < current else None
    return chain


def split_tag(image):
    """(repository, tag) of an image reference; tag "" when there is none."""
    slash = image.rfind("/")
    colon = image.rfind(":")
    if colon > slash:
        return image[:colon], image[colon + 1:]
    return image, ""


def stage_names(instructions):
    """The file's stage names, lowercased (BuildKit matches them case-insensitively)."""
    return {ins["value"][2].lower() for ins in instructions
            if (ins.get("cmd") or "").upper() == "FROM" and len(ins.get("value") or ()) == 3
            and ins["value"][1].lower() == "as"}


def shell_run(ins):
    return ((ins.get("cmd") or "").upper() == "RUN" and not ins.get("json")
            and not ins.get("heredocs") and bool(ins.get("value")))


def script(ins):
    return ins["value"][0]


def where(instrs, i):
    if i >= len(instrs):
        return "end of file"
    return "#%d (line %d)" % (i + 1, instrs[i].get("start_line") or 0)


def itext(ins):
    return short(ins.get("original") or "%s %s" % (ins.get("cmd"), " ".join(ins.get("value") or ())))


# --------------------------------------------------------------------------
# shell facts (shfmt AST) for the scripts of merges

def _stmts(lst):
    return [s for s in (lst or ()) if isinstance(s, dict)]


def main_shell_leaks(ast, src):
    """[(kind, detail, variable or None)] for what the script's main shell keeps."""
    leaks = []

    def stmt(st):
        if not isinstance(st, dict):
            return
        if st.get("Background"):
            leaks.append(("background", "`&`", None))
            return
        cmd(st.get("Cmd"), st)

    def cmd(c, st=None):
        if not isinstance(c, dict):
            return
        t = c.get("Type")
        if t == "CallExpr":
            args = c.get("Args") or []
            if not args:
                for a in c.get("Assigns") or ():
                    name = (a.get("Name") or {}).get("Value")
                    leaks.append(("variables", "%s=" % name, None))
                return
            words = [shfmt_commands.word_value(w, src) for w in args]
            k = 0
            while k < len(words) - 1 and words[k] in ("builtin", "command"):
                k += 1
            for w in {words[0], words[k]}:
                if w in LEAK_BUILTINS:
                    leaks.append((LEAK_BUILTINS[w], w, None))
                    break
        elif t == "DeclClause":
            v = (c.get("Variant") or {}).get("Value")
            leaks.append(("variables", v, None))
        elif t == "LetClause":
            leaks.append(("variables", "let", None))
        elif t == "BinaryCmd":
            if c.get("Op") in (OP_AND, OP_OR):
                stmt(c.get("X"))
                stmt(c.get("Y"))
        elif t == "Block":
            for s in _stmts(c.get("Stmts")):
                stmt(s)
        elif t == "IfClause" or (t is None and "Cond" in c and "Then" in c):
            for s in _stmts(c.get("Cond")) + _stmts(c.get("Then")):
                stmt(s)
            if isinstance(c.get("Else"), dict):
                cmd(dict(c["Else"], Type="IfClause"))
        elif t == "WhileClause":
            for s in _stmts(c.get("Cond")) + _stmts(c.get("Do")):
                stmt(s)
        elif t == "ForClause":
            loop = c.get("Loop") or {}
            if loop.get("Type") == "WordIter":
                name = (loop.get("Name") or {}).get("Value")
                leaks.append(("variables", "for %s" % name, name))
            else:
                leaks.append(("variables", "for ((...))", None))
            for s in _stmts(c.get("Do")):
                stmt(s)
        elif t == "CaseClause":
            for item in c.get("Items") or ():
                for s in _stmts(item.get("Stmts")):
                    stmt(s)
        elif t == "TimeClause":
            stmt(c.get("Stmt"))
        elif t == "FuncDecl":
            leaks.append(("defines commands", "function %s" % (c.get("Name") or {}).get("Value"), None))
        elif t == "CoprocClause":
            leaks.append(("background", "coproc", None))
        # Subshell, ArithmCmd, TestClause: nothing kept (ArithmCmd could assign; ignored)

    for st in _stmts(ast.get("Stmts")):
        stmt(st)
    return leaks


def _has_top_or(st):
    c = st.get("Cmd") if isinstance(st, dict) else None
    if not isinstance(c, dict) or c.get("Type") != "BinaryCmd" or c.get("Op") not in (OP_AND, OP_OR):
        return False
    return c.get("Op") == OP_OR or _has_top_or(c.get("X")) or _has_top_or(c.get("Y"))


def _comment_offsets(node, acc):
    stack = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, dict):
            for k, v in n.items():
                if k in ("Comments", "Last") and isinstance(v, list):
                    for cm in v:
                        if isinstance(cm, dict) and isinstance(cm.get("Hash"), dict):
                            acc.append(cm["Hash"].get("Offset", 0))
                if isinstance(v, (dict, list)):
                    stack.append(v)
        elif isinstance(n, list):
            stack.extend(n)
    return acc


def facts(text, binary):
    data = text.encode("utf-8", "surrogatepass")
    try:
        r = subprocess.run([binary] + shfmt_commands.SHFMT_ARGS, input=data, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=shfmt_commands.TIMEOUT)
    except subprocess.TimeoutExpired:
        return {"ok": False, "error": "shfmt: timeout", "commands": []}
    if r.returncode != 0:
        msg = r.stderr.decode("utf-8", "replace").strip().splitlines()
        return {"ok": False, "error": msg[0] if msg else "shfmt exit %d" % r.returncode, "commands": []}
    ast = json.loads(r.stdout.decode("utf-8", "replace"))
    src = shfmt_commands.Src(text)

    def reparse(t):
        rr = shfmt_commands.analyze(t, binary, 1)
        return rr["commands"] if rr["ok"] else None

    stmts = _stmts(ast.get("Stmts"))
    comments = _comment_offsets(ast, [])
    end = max((((s.get("End") or {}).get("Offset", 0)) for s in stmts), default=-1)
    return {
        "ok": True, "error": None,
        "commands": shfmt_commands.commands_of(ast, src, reparse),
        "leaks": main_shell_leaks(ast, src),
        "single": len(stmts) == 1 and not stmts[0].get("Background"),
        "top_or": any(_has_top_or(s) for s in stmts),
        "ends_comment": any(o >= end for o in comments),
    }


class FactsCache:
    def __init__(self, directory, version):
        self.dir = directory
        self.salt = ("%s\0%s\0%s\0%s\0" % (version, FACTS_VERSION, shfmt_commands.FORMAT_VERSION,
                                           " ".join(shfmt_commands.SHFMT_ARGS))).encode()

    def path(self, text):
        k = hashlib.sha256(self.salt + text.encode("utf-8", "surrogatepass")).hexdigest()
        return os.path.join(self.dir, k[:2], k + ".json")

    def get(self, text):
        if not self.dir:
            return None
        try:
            with open(self.path(text), "r", encoding="utf-8") as f:
                return json.load(f)
        except (OSError, ValueError):
            return None

    def put(self, text, rec):
        if not self.dir:
            return
        p = self.path(text)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=os.path.dirname(p), suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(dumps(rec))
        os.replace(tmp, p)


def _facts_work(args):
    text, binary, cache_dir, version = args
    rec = json.loads(dumps(facts(text, binary)))  # tuples -> lists, as from the cache
    FactsCache(cache_dir, version).put(text, rec)
    return rec


def facts_many(texts, binary, cache_dir, jobs):
    version = shfmt_commands.shfmt_version(binary)
    cache = FactsCache(cache_dir, version)
    res, todo = {}, []
    for t in dict.fromkeys(texts):
        hit = cache.get(t)
        if hit is not None:
            res[t] = hit
        else:
            todo.append(t)
    if todo:
        work = [(t, binary, cache_dir, version) for t in todo]
        if jobs <= 1 or len(todo) < 4:
            for t, w in zip(todo, work):
                res[t] = _facts_work(w)
        else:
            with concurrent.futures.ProcessPoolExecutor(max_workers=jobs) as ex:
                for t, rec in zip(todo, ex.map(_facts_work, work, chunksize=8)):
                    res[t] = rec
    return res, len(todo)


# --------------------------------------------------------------------------
# the checks

class Checker:
    def __init__(self):
        self.violations = []  # dicts: id, path, mode, kind, at, expected, got
        self.merges = []      # (file id, path, mode, instrs, [orig idx], out ins, out idx, posix)
        self.stats = {m: collections.Counter() for m in MODES}

    def flag(self, fid, path, mode, kind, at, expected, got):
        self.violations.append({"id": fid, "path": path, "mode": mode, "kind": kind, "at": at,
                                "expected": expected, "got": got})

    # safe mode: the walk
    def walk_safe(self, fid, path, O, N):
        st = self.stats["safe"]
        info = stage_info(O)
        i = j = 0
        while i < len(O) and j < len(N):
            o, n = O[i], N[j]
            if ikey(o) == ikey(n):
                i += 1
                j += 1
                continue
            if as_copy(o) is not None and as_copy(o) == ikey(n):
                why = add_problem(o)
                if why:
                    self.flag(fid, path, "safe", "add-copy", where(O, i), itext(o), "COPY, but " + why)
                st["adds_to_copy"] += 1
                i += 1
                j += 1
                continue
            if shell_run(o) and shell_run(n) and o["flags"] == n["flags"]:
                kmax = 1
                while (i + kmax < len(O) and shell_run(O[i + kmax])
                       and O[i + kmax]["flags"] == o["flags"]):
                    kmax += 1
                got = norm_ws(script(n))
                k = exposed = None
                for kk in range(2, kmax + 1):
                    exposed = match_join(got, [norm_ws(script(x)) for x in O[i:i + kk]])
                    if exposed is not None:
                        k = kk
                        break
                if k is not None:
                    self.merges.append((fid, path, "safe", O, list(range(i, i + k)), exposed, n, j, info))
                    st["runs_removed"] += k - 1
                    st["merges"] += 1
                    i += k
                    j += 1
                    continue
                if kmax >= 2:
                    self.flag(fid, path, "safe", "merge-text", where(O, i),
                              "RUN " + short(" && ".join(norm_ws(script(x)) for x in O[i:i + kmax]), 200)
                              + "  (or a prefix of these %d RUNs)" % kmax,
                              "RUN " + short(got, 200) + "  [output %s]" % where(N, j))
                    return
            self.flag(fid, path, "safe", "sequence", where(O, i), itext(o),
                      itext(n) + "  [output %s]" % where(N, j))
            return
        if i < len(O):
            self.flag(fid, path, "safe", "sequence", where(O, i), itext(O[i]), "end of output")
        elif j < len(N):
            self.flag(fid, path, "safe", "sequence", "end of file", "end of file",
                      itext(N[j]) + "  [output %s]" % where(N, j))

    # unsafe mode: moved, not lost
    def match_unsafe(self, fid, path, O, N, applied_codes):
        st = self.stats["unsafe"]
        oinfo, ninfo = stage_info(O), stage_info(N)
        pool = collections.defaultdict(list)
        for j, n in enumerate(N):
            pool[(ninfo[j][0],) + ikey(n)].append(j)
        used, pending = set(), []
        for i, o in enumerate(O):
            lst = pool.get((oinfo[i][0],) + ikey(o))
            if lst:
                used.add(lst.pop(0))
            else:
                pending.append(i)
        final_chain = final_stage_from_chain(O)
        runs_left = []
        for i in pending:
            o, stage = O[i], oinfo[i][0]
            ck = as_copy(o)
            if ck is not None and pool.get((stage,) + ck):
                used.add(pool[(stage,) + ck].pop(0))
                why = add_problem(o)
                if why:
                    self.flag(fid, path, "unsafe", "add-copy", where(O, i), itext(o), "COPY, but " + why)
                st["adds_to_copy"] += 1
                continue
            if (o.get("cmd") or "").upper() == "FROM" and o.get("value"):
                img = o["value"][0]
                cand = [j for j, n in enumerate(N) if j not in used and (n.get("cmd") or "").upper() == "FROM"
                        and ninfo[j][0] == stage and n.get("flags") == o.get("flags")
                        and (n.get("value") or [])[1:] == o["value"][1:] and n.get("value")]
                hit = None
                for j in cand:
                    new = N[j]["value"][0]
                    base, tag = split_tag(img)
                    nbase, ntag = split_tag(new)
                    if "@" not in img and nbase == base and ntag != tag and re.search(r"slim|alpine", ntag):
                        hit = j
                        break
                if hit is not None:
                    used.add(hit)
                    st["from_rewritten"] += 1
                    if "DW003" not in applied_codes:
                        self.flag(fid, path, "unsafe", "from-tag", where(O, i), itext(o),
                                  "tag rewritten to %s without DW003 in applied" % N[hit]["value"][0])
                    elif i not in final_chain:
                        self.flag(fid, path, "unsafe", "from-tag", where(O, i),
                                  "only the FROM the final stage is built on may be rewritten", N[hit]["value"][0])
                    continue
            if shell_run(o):
                runs_left.append(i)
                continue
            self.flag(fid, path, "unsafe", "lost", where(O, i), itext(o), "not in the output (stage %d)" % stage)
        # RUNs not found as such: an output RUN of the same stage and flags must
        # be exactly some of them joined by ` && ` (a merge, parts in any order)
        for j, n in enumerate(N):
            if j in used or not shell_run(n) or not runs_left:
                continue
            cands = [i for i in runs_left if oinfo[i][0] == ninfo[j][0] and O[i]["flags"] == n["flags"]]
            found = decompose(norm_ws(script(n)), [(norm_ws(script(O[i])), i) for i in cands])
            if found and len(found) >= 2:
                members = [i for i, _ in found]
                used.add(j)
                runs_left = [i for i in runs_left if i not in members]
                self.merges.append((fid, path, "unsafe", O, members, [e for _, e in found], n, j, oinfo))
                st["runs_removed"] += len(members) - 1
                st["merges"] += 1
        for i in runs_left:
            want = norm_ws(script(O[i]))
            inside = [j for j, n in enumerate(N) if shell_run(n) and want in norm_ws(script(n))]
            self.flag(fid, path, "unsafe", "lost" if not inside else "merge-text", where(O, i), itext(O[i]),
                      "not in the output" if not inside else
                      "inside output %s, which is not a ` && ` join of input RUNs of its stage: RUN %s"
                      % (where(N, inside[0]), short(norm_ws(script(N[inside[0]])), 200)))
        for j, n in enumerate(N):
            if j in used:
                continue
            if (n.get("cmd") or "").upper() == "COPY" and "DW001" in applied_codes:
                st["copies_inserted"] += 1
                continue
            if fix_canon.may_add(n, applied_codes):
                st["instructions_added"] += 1
                continue
            self.flag(fid, path, "unsafe", "extra", where(N, j), "no such instruction in the input",
                      itext(n))

    def check_merges(self, facts_of):
        for fid, path, mode, O, members, exposed, n, j, info in self.merges:
            at = where(O, members[0])
            if not all(info[i][1] for i in members):
                self.flag(fid, path, mode, "non-posix", at, "no merge: the stage's shell is not POSIX "
                          "(cannot be checked with shfmt)", "RUN " + short(script(n)))
                continue
            origs = [script(O[i]) for i in members]
            fm = facts_of[script(n)]
            fo = [facts_of[s] for s in origs]
            if not fm["ok"]:
                self.flag(fid, path, mode, "merge-shfmt", at, "a script shfmt parses",
                          "shfmt: %s  in RUN %s" % (fm["error"], short(script(n))))
                continue
            bad = [(i, f) for i, f in zip(members, fo) if not f["ok"]]
            if bad:
                self.flag(fid, path, mode, "merge-shfmt", where(O, bad[0][0]),
                          "originals shfmt parses (else the merge cannot be checked)",
                          "shfmt: %s" % bad[0][1]["error"])
                continue
            want = [c for f in fo for c in f["commands"]]
            got = fm["commands"]
            if want != got:
                k = next((k for k in range(min(len(want), len(got))) if want[k] != got[k]),
                         min(len(want), len(got)))
                ew = dumps(want[k]) if k < len(want) else "end of commands"
                gw = dumps(got[k]) if k < len(got) else "end of commands"
                self.flag(fid, path, mode, "merge-commands", at, "command %d: %s" % (k + 1, short(ew)),
                          "%s  (merged %d commands, originals %d)" % (short(gw), len(got), len(want)))
                continue
            for m, (i, f) in enumerate(zip(members[:-1], fo[:-1])):
                later = " ".join(origs[m + 1:])
                found = []
                for kind, detail, var in f["leaks"]:
                    if var is not None and not re.search(r"\$\{?%s\b" % re.escape(var), later):
                        continue
                    found.append("%s (%s)" % (detail, kind))
                if f["ends_comment"]:
                    found.append("trailing comment")
                if found:
                    self.flag(fid, path, mode, "state-leak", where(O, i),
                              "no state kept for the RUNs merged after it",
                              "%s  in RUN %s" % (", ".join(dict.fromkeys(found)), short(origs[m], 100)))
            for i, f, e in zip(members, fo, exposed):
                if e and (not f["single"] or f["top_or"]):
                    self.flag(fid, path, mode, "exit-status", where(O, i),
                              "one and-or list without top-level ||",
                              "%s  in RUN %s" % ("top-level ||" if f["single"] else "several command lists (; or &)",
                                                 short(script(O[i]), 100)))


# --------------------------------------------------------------------------

def main(argv):
    ap = argparse.ArgumentParser(add_help=True)
    ap.add_argument("--list", required=True)
    ap.add_argument("--cmd", required=True)
    ap.add_argument("--out", default=".build/fix-check")
    ap.add_argument("--oracle-cache", default=".build/oracle-cache")
    ap.add_argument("--shfmt-cache", default=".build/shfmt-facts-cache")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--show", type=int, default=20)
    ap.add_argument("--timeout", type=int, default=3600)
    ap.add_argument("--expect-breaks")
    a = ap.parse_args(argv)
    sys.stdout.reconfigure(encoding="utf-8", newline="\n")  # type: ignore[attr-defined]
    binary = shfmt_commands.shfmt_bin()
    if not binary:
        print("fix-safety: shfmt not found", file=sys.stderr)
        return 2
    with open(a.list, "r", encoding="utf-8", errors="surrogateescape") as f:
        paths = [p.rstrip("\r\n") for p in f if p.strip()]
    ids = {p: corpus_id(p) for p in paths}
    if len(set(ids.values())) != len(paths):
        print("fix-safety: file ids (base names) are not unique", file=sys.stderr)
        return 2
    T = collections.OrderedDict()
    for m in MODES:
        d = os.path.join(a.out, m)
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)
    cmds = {"safe": a.cmd, "unsafe": a.cmd + " --unsafe"}

    # pass 1 (both modes at once) while the originals are parsed
    t = time.monotonic()
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=2)
    fut1 = {m: pool.submit(run_batch, cmds[m], paths, a.timeout) for m in MODES}
    orig, texts = {}, {}
    for p in paths:
        rec, ioerr = oracle_dump.result_for(p, a.oracle_cache)
        if ioerr:
            print("fix-safety: %s: %s" % (p, rec["error"]), file=sys.stderr)
            return 2
        orig[p] = rec
        with open(p, "rb") as f:
            texts[p] = f.read().decode("utf-8", errors="replace")
    T["oracle (inputs)"] = time.monotonic() - t
    res1 = {m: fut1[m].result() for m in MODES}
    for m in MODES:
        T["fix %s pass 1" % m] = res1[m][3]

    ck = Checker()
    flag = ck.flag
    outs = {m: {} for m in MODES}        # path -> output text (records that came)
    outpath = {m: {} for m in MODES}
    batch_notes = []
    for m in MODES:
        records, crashes, notes, _ = res1[m]
        batch_notes += ["%s: %s" % (m, n) for n in notes]
        for p, why in crashes.items():
            flag(ids[p], p, m, "crash", "-", "one JSON line", why)
        for p, rec in records.items():
            fid = ids[p]
            o = rec["output"]
            try:
                data = o.encode("utf-8")
            except UnicodeEncodeError:
                flag(fid, p, m, "invalid-output", "-", "UTF-8 text", "output holds lone surrogates")
                continue
            q = os.path.join(a.out, m, fid + ".Dockerfile")
            with open(q, "wb") as f:
                f.write(data)
            outs[m][p] = o
            outpath[m][p] = q

    # pass 2 on changed outputs (both modes at once) while outputs are parsed
    t = time.monotonic()
    again = {m: [outpath[m][p] for p in paths if p in outs[m] and outs[m][p] != texts[p]] for m in MODES}
    fut2 = {m: pool.submit(run_batch, cmds[m], again[m], a.timeout) for m in MODES}
    parsed = {m: {} for m in MODES}
    for m in MODES:
        for p, q in outpath[m].items():
            parsed[m][p] = orig[p] if outs[m][p] == texts[p] else oracle_dump.result_for(q, a.oracle_cache)[0]
    T["oracle (outputs)"] = time.monotonic() - t
    res2 = {m: fut2[m].result() for m in MODES}
    pool.shutdown()
    for m in MODES:
        T["fix %s pass 2 (%d files)" % (m, len(again[m]))] = res2[m][3]

    # per-file checks
    t = time.monotonic()
    applied_n = {m: collections.Counter() for m in MODES}
    rejected_n = {m: collections.Counter() for m in MODES}
    for m in MODES:
        records = res1[m][0]
        rec2s, crash2, notes2, _ = res2[m]
        batch_notes += ["%s pass 2: %s" % (m, n) for n in notes2]
        back = {outpath[m][p]: p for p in outpath[m]}
        for q, why in crash2.items():
            p = back[q]
            flag(ids[p], p, m, "crash", "-", "one JSON line when fixing the output again", why)
        st = ck.stats[m]
        for p in paths:
            if p not in outs[m]:
                continue
            rec, fid, out, text = records[p], ids[p], outs[m][p], texts[p]
            codes = [x["code"] for x in rec["applied"]]
            applied_n[m].update(codes)
            rejected_n[m].update(x["code"] for x in rec["rejected"])
            if not rec["converged"]:
                st["not_converged"] += 1
            changed = out != text
            if changed:
                st["changed"] += 1
            if rec["changed"] != changed:
                flag(fid, p, m, "inconsistent", "-", "changed=%s" % str(changed).lower(),
                     "changed=%s" % str(rec["changed"]).lower())
            if changed != bool(codes):
                flag(fid, p, m, "inconsistent", "-", "applied fixes iff the output changed",
                     "changed=%s, applied=%s" % (str(changed).lower(), codes))
            # Older records (and the mock) carry no applicability: DW fixes were all unsafe then.
            graded = [(x["code"], x.get("applicability", "unsafe" if x["code"].startswith("DW") else "safe"))
                      for x in rec["applied"]]
            if m == "safe" and any(grade != "safe" for _, grade in graded):
                flag(fid, p, m, "unsafe-in-safe", "-", "only safe fixes", "applied %s" % graded)
            if not orig[p]["ok"]:
                if changed:
                    flag(fid, p, m, "rejected-changed", "-", "input the oracle rejects returned unchanged",
                         "output differs")
                continue
            if rec["error"] is not None:
                flag(fid, p, m, "fix-error", "-", "error null", short(rec["error"]))
                continue
            if directives(out) != directives(text):
                flag(fid, p, m, "directives", "-", short(str(directives(text))), short(str(directives(out))))
            if not changed:
                continue
            q = outpath[m][p]
            r2 = rec2s.get(q)
            if r2 is not None:
                if r2["error"] is not None:
                    flag(fid, p, m, "not-idempotent", "-", "fixing the output again: no error",
                         short(r2["error"]))
                elif r2["output"] != out:
                    a1, a2 = out.split("\n"), r2["output"].split("\n")
                    k = next((k for k in range(min(len(a1), len(a2))) if a1[k] != a2[k]), min(len(a1), len(a2)))
                    flag(fid, p, m, "not-idempotent", "output line %d" % (k + 1),
                         short(a1[k] if k < len(a1) else "end of file"),
                         short(a2[k] if k < len(a2) else "end of file") + "  (2nd pass applied %s)"
                         % [x["code"] for x in r2["applied"]])
            po = parsed[m][p]
            if not po["ok"]:
                flag(fid, p, m, "unparsable", "-", "output accepted by BuildKit's parser", short(po.get("error")))
                continue
            for problem in fix_canon.inserted_only(text, out, codes, m):
                flag(fid, p, m, "removed-word", "-", "fixes only insert their flags", problem)
            stages = stage_names(orig[p]["instructions"])
            before = fix_canon.canonical(orig[p]["instructions"], codes, m, stages)
            after = fix_canon.canonical(po["instructions"], codes, m, stages)
            if m == "safe":
                ck.walk_safe(fid, p, before, after)
            else:
                ck.match_unsafe(fid, p, before, after, set(codes))
    T["checks"] = time.monotonic() - t

    # shell level checks of every merge
    t = time.monotonic()
    scripts = []
    for _, _, _, O, members, _, n, _, _ in ck.merges:
        scripts += [script(O[i]) for i in members] + [script(n)]
    facts_of, ran = facts_many(scripts, binary, a.shfmt_cache, a.jobs)
    ck.check_merges(facts_of)
    T["shfmt (%d scripts, %d run)" % (len(facts_of), ran)] = time.monotonic() - t

    # report
    viol = ck.violations
    bad_ids = {v["id"] for v in viol}
    n_ok = sum(1 for p in paths if orig[p]["ok"])
    print("files: %d (the oracle accepts %d, rejects %d)" % (len(paths), n_ok, len(paths) - n_ok))
    for m in MODES:
        s = ck.stats[m]
        extra = ""
        if m == "unsafe":
            extra = ", FROM tags rewritten %d, COPYs inserted %d" % (s["from_rewritten"], s["copies_inserted"])
        print("%-7s files changed %d, RUN instructions removed %d (%d merges), ADDs turned into COPY %d%s"
              % (m + ":", s["changed"], s["runs_removed"], s["merges"], s["adds_to_copy"], extra))
    for m in MODES:
        print("%-7s fixes applied: %s; rejected fixes: %s; not converged: %d files"
              % (m + ":", ", ".join("%s %d" % kv for kv in sorted(applied_n[m].items())) or "none",
                 ", ".join("%s %d" % kv for kv in sorted(rejected_n[m].items())) or "none",
                 ck.stats[m]["not_converged"]))
    by_kind = collections.Counter((v["mode"], v["kind"]) for v in viol)
    print("violations: %d in %d files%s" % (len(viol), len(bad_ids), (": " + ", ".join(
        "%s/%s %d" % (m, k, c) for (m, k), c in sorted(by_kind.items()))) if viol else ""))
    for n in batch_notes:
        print("  batch: %s" % n)
    shown = 0
    for v in sorted(viol, key=lambda v: (v["kind"], v["mode"], v["path"])):
        if shown >= a.show:
            print("  ... (%d more; all in %s)" % (len(viol) - shown, os.path.join(a.out, "violations.tsv")))
            break
        print("  %s [%s %s] at %s\n      expected: %s\n      got:      %s"
              % (v["path"], v["mode"], v["kind"], v["at"], v["expected"], v["got"]))
        shown += 1
    with open(os.path.join(a.out, "violations.tsv"), "w", encoding="utf-8") as f:
        f.write("id\tpath\tmode\tkind\tat\texpected\tgot\n")
        for v in viol:
            f.write("\t".join(str(v[k]).replace("\t", " ").replace("\n", "\\n")
                              for k in ("id", "path", "mode", "kind", "at", "expected", "got")) + "\n")
    print("timings: " + ", ".join("%s %.1fs" % kv for kv in T.items()))
    failed = len(bad_ids) + len(batch_notes)
    print("fix-safety: %d passed, %d failed" % (len(paths) - len(bad_ids), failed))
    status = 1 if failed else 0
    if a.expect_breaks:
        status = expect_breaks(a.expect_breaks, viol, set(ids.values()))
    return status


def expect_breaks(log_path, viol, all_ids):
    """Self test: the mock's deliberate damage must be exactly what was flagged."""
    broken = collections.defaultdict(set)  # (id, mode) -> kinds
    try:
        with open(log_path, "r", encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    e = json.loads(line)
                    broken[(e["id"], e["mode"])].add(e["kind"])
    except OSError as e:
        print("mock-breaks: cannot read %s: %s" % (log_path, e))
        return 2
    flagged = collections.defaultdict(set)
    for v in viol:
        flagged[(v["id"], v["mode"])].add(v["kind"])
    per = collections.defaultdict(lambda: [0, 0])
    missed = []
    for key, kinds in broken.items():
        for k in kinds:
            per[k][1] += 1
            if key in flagged:
                per[k][0] += 1
            else:
                missed.append((key, k))
    broken_ids = {i for i, _ in broken}
    false = sorted((key, sorted(k)) for key, k in flagged.items() if key[0] not in broken_ids)
    print("mock-breaks by kind (caught/damaged, flagged as): " + ", ".join(
        "%s %d/%d" % (k, c, n) for k, (c, n) in sorted(per.items())))
    for (fid, mode), k in missed[:10]:
        print("  missed: %s [%s] %s" % (fid, mode, k))
    for (fid, mode), kinds in false[:10]:
        print("  false alarm: %s [%s] %s" % (fid, mode, ",".join(kinds)))
    caught = sum(c for c, _ in per.values())
    print("mock-breaks: %d caught, %d missed, %d false alarms" % (caught, len(missed), len(false)))
    return 1 if (missed or false or not broken) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
