#!/usr/bin/env python3
"""Canonical forms for scripts/fix_safety.py: what each dockwright fix is allowed
to change, written as a rewrite applied to BOTH the input's and the output's
instructions (oracle dumps). After it, a fixed file must equal its input
instruction for instruction (safe mode) or contain all of it (unsafe mode);
so each rewrite below names exactly one kind of change a fix may make, and it
is only applied when a rule that makes that change was applied to the file.

Two kinds of rewrite:
  * equivalences under BuildKit's own rules, which keep meaning whatever rule
    made them (stage names and `AS` are case-insensitive, ENV/LABEL quoting,
    EXPOSE protocol case, a trailing `/` on a multi-source COPY destination,
    `--platform=$TARGETPLATFORM`, which is the default);
  * the named changes of a rule (a flag inserted into a package-manager
    command, `apt` -> `apt-get`, MAINTAINER -> an authors LABEL, ...). For
    inserted words, `inserted_only` also checks the file as a whole gained
    them and lost none, so a fix that deleted such a word is still caught.

canonical(instructions, codes, mode) -> instructions
inserted_only(text_in, text_out, codes, mode) -> list of problems
"""
import re

# Words a fix may insert into a RUN script, by the rule that inserts them.
# Safe fixes: flags that only answer a prompt or skip a cache.
SAFE_INSERTED_WORDS = {
    "DL3014": ("-y",),                       # apt-get install -y
    "DL3030": ("-y",),                       # yum install -y
    "DL3038": ("-y",),                       # dnf/microdnf install -y
    "DL3034": ("-n",),                       # zypper -n install
    "DL3019": ("--no-cache",),               # apk add --no-cache
    "DL3042": ("--no-cache-dir",),           # pip install --no-cache-dir
    "DL3046": ("-l",),                       # useradd -l
    "DL3047": ("--progress=dot:giga",),      # wget --progress=dot:giga
}
# Unsafe fixes: flags that change what gets installed.
UNSAFE_INSERTED_WORDS = {
    "DL3015": ("--no-install-recommends",),  # apt-get install --no-install-recommends
}
APT_COMMAND = re.compile(r"(^|[\s;&|(`])apt(?=\s)")
APT_LISTS_CLEANUP = re.compile(r"\s*&&\s*rm\s+-rf\s+/var/lib/apt/lists/\*")
# Cleanup commands a safe fix appends after a package manager's last install, by rule.
SAFE_APPENDED_COMMANDS = {
    "DL3032": ("&& yum clean all",),
    "DL3036": ("&& zypper clean",),
    "DL3040": ("&& dnf clean all", "&& microdnf clean all"),
}
# DW003 moves the final image to a smaller base and installs the tools the stages call
# that it lacks, in front of the first RUN's script: exactly one of these prefixes.
SMALL_BASE_INSTALL = re.compile(
    r"^(\s*)(?:apt-get update && apt-get install -y --no-install-recommends [a-z0-9.+-]+(?: [a-z0-9.+-]+)*"
    r" && rm -rf /var/lib/apt/lists/\* && |apk add --no-cache [a-z0-9.+-]+(?: [a-z0-9.+-]+)* && )")
# DW312 moves a package cache cleanup from a later RUN into the RUN that filled the
# cache (appended with ` && `), dropping the later RUN when that was all it ran.
CACHE_FOLDER = r"/var/(?:lib/apt/lists|cache/apk|cache/yum|cache/dnf)(?:/\S*)?"
CACHE_CLEANUP = re.compile(r"^(?:rm(?:\s+-[A-Za-z]+)*(?:\s+%s)+|(?:yum|dnf|microdnf) clean all|apk cache clean)$"
                           % CACHE_FOLDER)
# DW311 (unsafe) moves `chown -R u:g PATH` / `chmod MODE PATH`, alone in a RUN, into
# the COPY that brought PATH as `--chown=u:g` / `--chmod=MODE`.
PERMISSIONS_RUN = re.compile(r"^(?:chown|chmod)(?:\s+(?:-R|--recursive))?\s+\S+\s+\S+$")
TARGETPLATFORM = re.compile(r"^--platform=(\$TARGETPLATFORM|\$\{TARGETPLATFORM\})$")


def inserted_words(codes, mode):
    words = set()
    for code in codes:
        words.update(SAFE_INSERTED_WORDS.get(code, ()))
        if mode == "unsafe":
            words.update(UNSAFE_INSERTED_WORDS.get(code, ()))
    return words


def unquote(word):
    """BuildKit's word processing for ENV/LABEL values: quotes removed, `\\` escapes
    resolved (enough to compare `k v` with `k="v"`)."""
    out, i, quote = [], 0, None
    while i < len(word):
        c = word[i]
        if quote == "'":
            if c == "'":
                quote = None
            else:
                out.append(c)
        elif c == "\\" and i + 1 < len(word) and (quote is None or word[i + 1] in '"\\$`'):
            i += 1
            out.append(word[i])
        elif c == '"':
            quote = None if quote == '"' else '"'
        elif c == "'" and quote is None:
            quote = "'"
        else:
            out.append(c)
        i += 1
    return "".join(out)


def _script_words(text, words):
    """The script without the standalone words `words` (and the space before each)."""
    if not words:
        return text
    parts = re.split(r"(\s+)", text)
    kept = []
    for part in parts:
        if part in words:
            if kept and kept[-1].isspace():
                kept.pop()
            continue
        kept.append(part)
    return "".join(kept)


def appended_commands(codes):
    return sorted({c for code in codes for c in SAFE_APPENDED_COMMANDS.get(code, ())}, key=len, reverse=True)


AND_SPLIT = re.compile(r"\s*&&\s*")
LIST_SPLIT = re.compile(r"(\s*(?:&&|;)\s*)")


def _without_appended_cleanup(text, codes):
    """The script without each cleanup (`yum clean all`...) that directly follows, after
    `&&` or `;`, a command of the same package manager: where the fix puts it. A
    cleanup standing anywhere else (its own RUN merged in later, say) stays."""
    cleanups = {" ".join(c.split()[1:]) for c in appended_commands(codes)}
    if not cleanups:
        return text
    pieces = LIST_SPLIT.split(text)  # command, separator, command, ...
    commands = pieces[0::2]
    kept = [pieces[0]]
    for index in range(1, len(commands)):
        words = commands[index].split()
        previous = commands[index - 1].split()
        manager = words[0] if words else ""
        if (" ".join(words) in cleanups and manager in ("yum", "zypper", "dnf", "microdnf")
                and manager in previous and " ".join(previous) not in cleanups):
            continue
        kept += [pieces[2 * index - 1], commands[index]]
    return "".join(kept)


# DW301 removes switches that turn TLS or signature checks off: `apk add
# --allow-untrusted` of Alpine's own packages safely, the others only with --unsafe.
# Both sides lose them, so a fix that removed anything else still shows.
SAFE_REMOVED_WORDS = {"DW301": ("--allow-untrusted",)}
UNSAFE_REMOVED_WORDS = {
    "DW301": ("--insecure", "-k", "--no-check-certificate", "--allow-unauthenticated",
              "--allow-insecure-repositories", "--nogpgcheck", "--no-gpg-checks", "--strict-ssl=false"),
}
INSECURE_PAIRS = re.compile(
    r"\s+(?:--trusted-host(?:\s+|=)\S+|(?:-o|--option)\s*=?\s*\S*(?:AllowInsecureRepositories|AllowUnauthenticated|"
    r"AllowDowngradeToInsecureRepositories|Verify-Peer|Verify-Host)\S*|-c\s+http\.sslverify=\S+|"
    r"--setopt=\S*(?:gpgcheck|sslverify)=\S+)", re.I)
INSECURE_COMMAND = (r"(?:(?:npm|yarn|pnpm)\s+config\s+set\s+strict-ssl\s+false|"
                    r"git\s+config\s+(?:--global\s+|--system\s+)?http\.sslverify\s+(?:false|0|no|off))")
CURL_K_CLUSTER = re.compile(r"(?<=\s)-([A-Za-z]*?)k([A-Za-z]*)(?=\s|$)")
# DW300 (unsafe, opt-in) adds cache mounts and drops the cleanup they make pointless.
DW300_CACHE_PATHS = (r"/var/lib/apt\S*|/var/cache/(?:apt|apk|yum|dnf)\S*|/root/\.cache/(?:pip|uv)\S*|/root/\.npm\S*|"
                     r"/usr/local/share/\.cache/yarn\S*")
DW300_CLEANUP = (
    r"(?:rm\s+-\w+(?:\s+(?:%s))+|(?:apt-get|apt)\s+clean\b[^&;|]*|(?:yum|dnf)\s+clean\b[^&;|]*|"
    r"npm\s+cache\s+clean\b[^&;|]*|yarn\s+cache\s+clean\b[^&;|]*|pip3?\s+cache\s+purge|uv\s+cache\s+clean|"
    r"pnpm\s+store\s+prune|go\s+clean\s+-modcache)" % DW300_CACHE_PATHS)
DW300_PATH_WORD = re.compile(r"\s+(?:%s)(?=\s|$)" % DW300_CACHE_PATHS)
DW300_WORDS = ("--no-cache-dir", "--no-cache", "--update")
DW300_MOUNT = re.compile(r"^--mount=type=cache,target=(?:%s)(?:,sharing=locked)?$" % DW300_CACHE_PATHS.replace(r"\S*", "[^,]*")
                         + r"|^--mount=type=cache,target=(?:/go/pkg/mod|/root/\.cache/go-build|/usr/local/cargo/(?:registry|git)|"
                         r"/root/\.m2/repository|/root/\.gradle/caches|/root/\.local/share/pnpm/store|/tmp/cache|[^,]*/store)$")


def _without_commands(text, command):
    """The script without each `command` joined to the rest by `&&` or `;`: a leading
    one goes with the operator after it, any other with the operator before it."""
    if re.fullmatch(r"\s*%s\s*" % command, text, flags=re.I):
        return ""
    text = re.sub(r"^\s*%s\s*(?:&&|;)\s*" % command, "", text, flags=re.I)
    return re.sub(r"\s*(?:&&|;)\s*%s(?=\s*(?:&&|;|$))" % command, "", text, flags=re.I)


def removed_words(codes, mode):
    words = set()
    for code in codes:
        words.update(SAFE_REMOVED_WORDS.get(code, ()))
        if mode == "unsafe":
            words.update(UNSAFE_REMOVED_WORDS.get(code, ()))
    return words


def _without_new_rule_changes(text, codes, mode):
    if mode == "unsafe" and "DW301" in codes:
        text = _without_commands(text, INSECURE_COMMAND)
        text = INSECURE_PAIRS.sub("", text)
        text = CURL_K_CLUSTER.sub(lambda m: "-" + m.group(1) + m.group(2) if m.group(1) + m.group(2) else "", text)
    if mode == "unsafe" and "DW300" in codes:
        text = text.replace("rm -f /etc/apt/apt.conf.d/docker-clean && ", "")
        text = _without_commands(text, DW300_CLEANUP)
        text = DW300_PATH_WORD.sub("", text)
        text = _script_words(text, set(DW300_WORDS))
    return _script_words(text, removed_words(codes, mode))


def _without_cache_cleanups(text):
    """The script's `&&` links without the package cache cleanups DW312 moves."""
    parts = [p.strip() for p in AND_SPLIT.split(text)]
    return " && ".join(p for p in parts if not CACHE_CLEANUP.match(p))


CACHE_CLEANUP_ANYWHERE = re.compile(r"(?<![\w-])(?:rm(?:\s+-[A-Za-z]+)*(?:\s+%s)+|(?:yum|dnf|microdnf) clean all|apk cache clean)"
                                    % CACHE_FOLDER)


def cache_cleanups(text):
    """How often each DW312 cleanup command appears in a text, for the moved-not-lost count."""
    counts = {}
    for found in CACHE_CLEANUP_ANYWHERE.findall(" ".join(text.split())):
        counts[found] = counts.get(found, 0) + 1
    return counts


def _canonical_script(text, codes, mode):
    if mode == "unsafe" and "DW003" in codes:
        text = SMALL_BASE_INSTALL.sub(r"\1", text, count=1)
    text = _without_new_rule_changes(text, codes, mode)
    if "DW312" in codes:
        text = _without_cache_cleanups(text)
    text = _without_appended_cleanup(text, codes)
    text = _script_words(text, inserted_words(codes, mode))
    if "DL3027" in codes:
        text = APT_COMMAND.sub(lambda m: m.group(1) + "apt-get", text)
    if mode == "unsafe" and "DL3009" in codes:
        text = APT_LISTS_CLEANUP.sub("", text)
    if mode == "unsafe" and "DL3003" in codes:
        # DL3003 turns a leading `cd DIR && ` into a WORKDIR; a merge may since have put
        # other commands before it, so every `cd DIR` link of an `&&` chain is dropped.
        parts = AND_SPLIT.split(text)
        text = " && ".join(p for i, p in enumerate(parts)
                           if not (i < len(parts) - 1 and len(p.split()) == 2 and p.split()[0] == "cd"))
    return text


def canonical(instructions, codes, mode, stage_names):
    """The instructions with every change the applied `codes` may make undone
    (see the module doc); `stage_names` are the file's stage names, lowercased."""
    codes = set(codes)
    out = []
    for ins in instructions:
        ins = dict(ins)
        cmd = (ins.get("cmd") or "").upper()
        value = list(ins.get("value") or ())
        flags = list(ins.get("flags") or ())
        if cmd == "RUN" and not ins.get("json") and value:
            value[0] = _canonical_script(value[0], codes, mode)
            ins["value"] = value
            ins["heredocs"] = [dict(h, content=_canonical_script(h["content"], codes, mode))
                               for h in ins.get("heredocs") or ()]
        if cmd == "ONBUILD" and (ins.get("sub_cmd") or "").upper() == "RUN" and value:
            ins["value"] = [_canonical_script(v, codes, mode) for v in value]
            ins["original"] = _canonical_script(ins.get("original") or "", codes, mode)
        if cmd == "FROM":
            if len(value) == 3 and value[1].lower() == "as":
                value[1], value[2] = "AS", value[2].lower()
            if value and value[0].lower() in stage_names:
                value[0] = value[0].lower()
            ins["value"] = value
            ins["flags"] = [f for f in flags if not TARGETPLATFORM.match(f)]
        if cmd in ("COPY", "ADD"):
            ins["flags"] = [f.lower() if f.lower().startswith("--from=") and f[7:].lower() in stage_names else f
                            for f in flags]
            if len(value) > 2 and value[-1].endswith("/") and len(value[-1]) > 1:
                value[-1] = value[-1][:-1]
            ins["value"] = value
        if cmd == "RUN" and mode == "unsafe" and "DW300" in codes:
            flags = [f for f in flags if not DW300_MOUNT.match(f)]
            ins["flags"] = flags
        if cmd == "RUN":
            ins["flags"] = [re.sub(r"(?i)(from=)([^,]+)",
                                   lambda m: m.group(1) + (m.group(2).lower() if m.group(2).lower() in stage_names
                                                           else m.group(2)), f)
                            if f.startswith("--mount=") else f for f in flags]
        if cmd in ("ENV", "LABEL"):
            ins["value"] = [unquote(v) for v in value]
        if cmd in ("COPY", "ADD") and mode == "unsafe" and "DW311" in codes:
            ins["flags"] = [f for f in ins["flags"] if not re.match(r"--ch(?:own|mod)=", f)]
        if cmd == "MAINTAINER" and "DL4000" in codes:
            # MAINTAINER takes its text as is; the LABEL that replaces it quotes it.
            ins["cmd"] = "LABEL"
            ins["value"] = ["org.opencontainers.image.authors", " ".join(value)]
        if cmd == "EXPOSE":
            # BuildKit lowercases the protocol and ignores an `ip:host:` part (DW120, DW121).
            ins["value"] = [v.lower().rsplit(":", 1)[-1] for v in value]
        if cmd in ("CMD", "ENTRYPOINT") and mode == "unsafe" and "DL3025" in codes:
            # DL3025 turns a command of plain words into the exec form of the same words.
            words = value if ins.get("json") else " ".join(value).split()
            ins["json"] = False
            ins["value"] = [" ".join(words)]
        if cmd == "HEALTHCHECK" and mode == "unsafe" and "DL3025" in codes and value[:1] == ["CMD"]:
            words = value[1:] if ins.get("json") else " ".join(value[1:]).split()
            ins["json"] = False
            ins["value"] = ["CMD", " ".join(words)]
        if cmd == "RUN" and not ins.get("json") and value and not ins.get("heredocs"):
            if ("DW312" in codes and not value[0].strip()) or (
                    mode == "unsafe" and "DW311" in codes and PERMISSIONS_RUN.match(" ".join(value[0].split()))):
                continue
        out.append(ins)
    if mode == "unsafe" and "DW302" in codes:
        # DW302 bases a final stage that only runs a static binary on distroless/static.
        finals = [ins for ins in out if (ins.get("cmd") or "").upper() == "FROM" and ins.get("value")]
        if finals:
            finals[-1]["value"] = ["<final base>"] + list(finals[-1]["value"][1:])
    if mode == "unsafe" and "DW300" in codes:
        # A RUN left with nothing but the cleanup DW300 drops (merged into the install's
        # RUN by DL3059 first) cleans only the cache mount: it may go.
        out = [ins for ins in out if not ((ins.get("cmd") or "").upper() == "RUN" and not ins.get("json")
                                          and ins.get("value") and not ins["value"][0].strip()
                                          and not ins.get("heredocs"))]
    overridable = {cmd for code, cmd in OVERRIDDEN_BY.items() if code in codes}
    return _without_overridden(out, overridable) if overridable else out


# The rule that deletes an instruction a later one of the same kind in its stage
# overrides: only the last CMD, ENTRYPOINT and HEALTHCHECK of a stage reach the image.
OVERRIDDEN_BY = {"DL4003": "CMD", "DL4004": "ENTRYPOINT", "DL3012": "HEALTHCHECK"}


def _without_overridden(instructions, kinds):
    keep = [True] * len(instructions)
    last = {}
    for i, ins in enumerate(instructions):
        cmd = (ins.get("cmd") or "").upper()
        if cmd == "FROM":
            last = {}
        elif cmd in kinds:
            if cmd in last:
                keep[last[cmd]] = False
            last[cmd] = i
    return [ins for ins, kept in zip(instructions, keep) if kept]


def may_add(instruction, codes):
    """Whether an unsafe fix of `codes` may have added this output instruction:
    DL3003 turns a leading `cd` into a WORKDIR, DL4006 adds a pipefail SHELL,
    DW002 repeats a USER above the package installs it moves past that USER."""
    cmd = (instruction.get("cmd") or "").upper()
    return ((cmd == "WORKDIR" and "DL3003" in codes) or (cmd == "SHELL" and "DL4006" in codes)
            or (cmd == "USER" and "DW002" in codes))


def inserted_only(text_in, text_out, codes, mode):
    """Each word the applied fixes may insert appears in the output at least as
    often as in the input: canonical() drops them on both sides, this catches a
    fix that removed one instead."""
    problems = []
    tokens_in, tokens_out = text_in.split(), text_out.split()
    if mode == "unsafe" and "DW300" in codes:
        # DW300 removes the cache flags and cleanups other fixes insert, once a cache mount makes
        # them pointless; canonical() drops them on both sides.
        return problems
    for word in sorted(inserted_words(codes, mode)):
        before, after = tokens_in.count(word), tokens_out.count(word)
        if after < before:
            problems.append("`%s` appears %d times in the output, %d in the input" % (word, after, before))
    if "DW312" in codes:
        before, after = cache_cleanups(text_in), cache_cleanups(text_out)
        for command, count in sorted(before.items()):
            if after.get(command, 0) < count:
                problems.append("`%s` appears %d times in the output, %d in the input"
                                % (command, after.get(command, 0), count))
    for command in appended_commands(codes):
        before, after = " ".join(tokens_in).count(command), " ".join(tokens_out).count(command)
        if after < before:
            problems.append("`%s` appears %d times in the output, %d in the input" % (command, after, before))
    return problems
