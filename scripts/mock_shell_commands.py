#!/usr/bin/env python3
"""TEST DOUBLE for `dockwright shell-commands --batch` (used until the real
subcommand exists, and by `CHECK_SELF_TEST=1 scripts/check-shell.sh` to
validate the comparison machinery end to end). It is NOT a reference: RUN
scripts come from the parse oracle (PyPI dockerfile==3.4.0, via
scripts/oracle_dump.py and its cache) and the commands come from shfmt itself
(scripts/shfmt_commands.py), so check-shell.sh must report 100% agreement.

Usage: mock_shell_commands.py --batch [--cache-dir DIR] [--oracle-cache DIR]
         [--perturb N]
  Paths on stdin, one per line. One JSON line per RUN script:
  {"path", "line", "kind": "shell"|"heredoc", "script", "ok", "error",
   "commands": [{"name", "args"}]}
  --perturb N   corrupt the result of every Nth script (alternately rename
                its last command, or flip ok) to exercise the failure paths.
Must run with the oracle venv's python (scripts/lib/venv.sh).

Which RUNs, and what script (our reading of BuildKit v0.12.5):
  * shell form only (json false); ONBUILD RUN is skipped;
  * skipped: stages whose base image looks like Windows (image text, after
    substituting global ARG defaults, contains windows/nanoserver/servercore,
    or FROM --platform=windows...), stages under SHELL whose program is
    pwsh/powershell/cmd (any path, optional .exe); stages FROM an earlier
    stage inherit both; a heredoc script whose first line is a #! naming no
    sh-like shell (BuildKit runs that file with its interpreter);
  * kind "heredoc": value[0] is exactly one heredoc marker (optional fd,
    <<, optional -, optionally quoted word) -> the script is that heredoc's
    content;
  * otherwise value[0] is the script; with heredocs it is
    value[0] + "\\n" + content + name for each heredoc, joined by "\\n"
    (BuildKit's `full += "\\n" + file.Data + file.Name`).
"""
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import oracle_dump  # noqa: E402  (exits 2 when `dockerfile` is missing)
import shfmt_commands  # noqa: E402

MARKER = re.compile(r"""^[0-9]*<<-?\s*(?:"[^"]*"|'[^']*'|[^\s<>&|;()'"]+)$""")
NON_POSIX = {"pwsh", "powershell", "cmd"}
WINDOWS = re.compile(r"windows|nanoserver|servercore", re.I)
SH_LIKE = re.compile(r"^#!\s*(\S*/)?(env\s+(-\S+\s+)*)?(sh|bash|ash|dash|ksh|mksh|zsh|busybox)\b")
VAR = re.compile(r"\$(?:\{([A-Za-z_][A-Za-z0-9_]*)[^}]*\}|([A-Za-z_][A-Za-z0-9_]*))")


def shell_is_posix(argv):
    if not argv:
        return True
    prog = re.split(r"[\\/]", argv[0])[-1].lower()
    if prog.endswith(".exe"):
        prog = prog[:-4]
    return prog not in NON_POSIX


def scripts_of(instrs):
    """Yield (line, kind, script) for every emitted RUN."""
    global_args = {}
    stages = {}  # stage name (lower) -> (windows, posix) at the end of that stage
    windows, posix, cur, seen_from = False, True, None, False
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
            seen_from = True
            image = VAR.sub(lambda m: global_args.get(m.group(1) or m.group(2), ""),
                            val[0] if val else "")
            plat = " ".join(f for f in ins.get("flags") or () if f.startswith("--platform"))
            if image.lower() in stages:
                windows, posix = stages[image.lower()]
            else:
                windows = bool(WINDOWS.search(image) or WINDOWS.search(plat))
                posix = True
            cur = val[2].lower() if len(val) >= 3 and val[1].lower() == "as" else None
        elif cmd == "SHELL" and ins.get("json"):
            posix = shell_is_posix(val)
        elif cmd == "RUN" and not ins.get("json") and val and not windows and posix:
            hds = ins.get("heredocs") or []
            if hds and len(val) == 1 and MARKER.match(val[0].strip()):
                script = hds[0]["content"]
                first = script.split("\n", 1)[0]
                if first.startswith("#!") and not SH_LIKE.match(first):
                    continue
                yield ins["start_line"], "heredoc", script
            else:
                script = val[0]
                for h in hds:
                    script += "\n" + h["content"] + h["name"]
                yield ins["start_line"], "shell", script


def main(argv):
    args = list(argv)
    cache_dir = oracle_cache = None
    perturb = 0
    batch = False
    while args:
        a = args.pop(0)
        if a == "--batch":
            batch = True
        elif a in ("--cache-dir", "--oracle-cache", "--perturb") and args:
            v = args.pop(0)
            if a == "--cache-dir":
                cache_dir = v
            elif a == "--oracle-cache":
                oracle_cache = v
            else:
                perturb = int(v)
        elif a in ("-h", "--help"):
            sys.stdout.write(__doc__)
            return 0
        else:
            sys.stderr.write("mock_shell_commands.py: bad argument %s\n" % a)
            return 2
    if not batch:
        sys.stderr.write("usage: mock_shell_commands.py --batch < paths\n")
        return 2
    binary = shfmt_commands.shfmt_bin()
    if not binary:
        sys.stderr.write("mock_shell_commands.py: shfmt not found\n")
        return 2
    rows = []
    status = 0
    for p in (line.rstrip("\r\n") for line in sys.stdin):
        if not p.strip():
            continue
        rec, ioerr = oracle_dump.result_for(p, oracle_cache)
        if ioerr:
            status = 2
            sys.stderr.write("%s: error: %s\n" % (p, rec["error"]))
            continue
        if not rec["ok"]:
            continue  # the Dockerfile itself does not parse: no RUN scripts
        for line, kind, script in scripts_of(rec["instructions"]):
            rows.append((p, line, kind, script))
    res, _ = shfmt_commands.analyze_many([r[3] for r in rows], binary, cache_dir)
    out = sys.stdout
    out.reconfigure(encoding="utf-8", newline="\n")  # type: ignore[attr-defined]
    for n, (p, line, kind, script) in enumerate(rows, 1):
        r = res[script]
        obj = {"path": p, "line": line, "kind": kind, "script": script, "ok": r["ok"],
               "error": r["error"], "commands": r["commands"]}
        if perturb and n % perturb == 0:
            if obj["commands"] and (n // perturb) % 2 == 0:
                obj["commands"] = [dict(c) for c in obj["commands"]]
                obj["commands"][-1]["name"] = "PERTURBED"
            else:
                obj["ok"] = not obj["ok"]
                obj["error"] = None if obj["ok"] else "perturbed"
        out.write(shfmt_commands.dumps(obj) + "\n")
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
