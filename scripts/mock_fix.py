#!/usr/bin/env python3
"""TEST DOUBLE for `dockwright fix --batch [--unsafe]`, used until the real
subcommand exists and by `CHECK_SELF_TEST=1 scripts/check-fix-safety.sh` to
exercise the checker (scripts/fix_safety.py) end to end. It is NOT a
reference fixer: it edits the text line by line, locating instructions with
the parse oracle (PyPI dockerfile==3.4.0), with conservative textual guards.

Usage: mock_fix.py --batch [--unsafe] [--break] [--break-log FILE]
  Paths on stdin, one per line; one JSON line per file:
  {"path", "changed", "output", "applied": [{"code", "title"}],
   "rejected": [...], "converged", "error"}
  Never writes the input files. Must run with the oracle venv's python.
env: MOCK_BREAK=1 (same as --break), MOCK_BREAK_LOG=FILE (same as
  --break-log).

What it does, repeated until nothing changes (at most 10 passes):
  safe    DL3020  `ADD` -> `COPY` (keyword only, letter case kept) when every
                  source is local, not an archive / URL / git / variable, and
                  no --checksum / --keep-git-dir / --unpack, no heredoc;
          DL3059  consecutive shell-form RUNs with equal flags and no
                  heredocs, in a stage with a POSIX shell, merged into the
                  first: `<first> && \\` + newline + 4 spaces + the next
                  script; comment lines between them kept, blank lines
                  dropped. Not merged when a textual guard fires: an earlier
                  script mentions a state-changing builtin (cd, export, set,
                  ...), an assignment, `#`, `&`, `()` or ends in an operator;
                  a later script holds `;`, `||`, `&` or `#`.
  unsafe  (after the safe fixes) DW003: the last FROM `name:1.2` becomes
          `name:1.2-slim`; DW002: a RUN installing OS packages right after a
          COPY/ADD moves above it. (No DW001.)

--break (MOCK_BREAK=1) deliberately damages about a quarter of the files
(chosen by a hash of the file's corpus id, so pass 2 over the outputs picks
the same files; the first kind that applies is used, rare kinds tried first)
in ways the checker must catch; each damaged (id, mode, kind)
is appended to the break log as a JSON line. Kinds: semicolon (merge joined
with `;`), swap (merged in the wrong order), drop (second RUN deleted),
nocont (merge without the line continuation), leak (merge after a `cd` /
`export`), orchain (merge of a later script holding a top-level `||`),
addurl (ADD of a URL/archive made COPY), addflags (ADD->COPY losing flags),
nonidem (output changes on every run), directive (`# syntax=` dropped),
flagchanged (changed=false on a changed output), unsafeinsafe (DW003 in safe
mode), dropinstr (unsafe mode: an ENV/LABEL/WORKDIR deleted), crash (the
process dies), garbage (a non-JSON line).
"""
import hashlib
import json
import os
import re
import sys

try:
    import dockerfile  # type: ignore
except ImportError:  # pragma: no cover
    sys.stderr.write("mock_fix.py: cannot import 'dockerfile'; run it with the venv python\n")
    sys.exit(2)

MAX_PASSES = 10
ARCHIVE = (".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz", ".tbz2", ".tar.xz", ".txz", ".tar.zst",
           ".tzst", ".tar.lz", ".tar.lzma", ".tlz", ".tar.z", ".taz", ".gz", ".bz2", ".xz", ".zst",
           ".lz4", ".lzma")
LEAK_WORDS = re.compile(
    r"(?<![\w.-])(cd|pushd|popd|export|unset|readonly|declare|typeset|local|set|shopt|trap|ulimit|"
    r"umask|source|alias|unalias|exit|exec|return|read|mapfile|readarray|getopts|eval|let|hash|"
    r"for|select|function|enable|shift|builtin|command)(?![\w.-])|(^|\s)\.(\s|$)")
ASSIGN = re.compile(r"(^|[;&|(`]\s*|\s)[A-Za-z_][A-Za-z0-9_]*(\[[^]]*\])?\+?=")
BACKGROUND = re.compile(r"(^|[^&>|])&($|[^&>])")
WINDOWS = re.compile(r"windows|nanoserver|servercore", re.I)
DIRECTIVE = re.compile(r"^#\s*([A-Za-z][A-Za-z0-9]*)\s*=\s*(.*?)\s*$")
OS_INSTALL = re.compile(r"apt-get\s+(-\S+\s+)*install|apk\s+(-\S+\s+)*add|yum\s+(-\S+\s+)*install"
                        r"|dnf\s+(-\S+\s+)*install")
INPUT_KINDS = {"semicolon", "swap", "drop", "nocont", "leak", "orchain", "addurl", "addflags"}
BREAK_KINDS = ["semicolon", "swap", "drop", "nocont", "leak", "orchain", "addurl", "addflags",
               "nonidem", "directive", "flagchanged", "unsafeinsafe", "dropinstr"]


# --------------------------------------------------------------------------
# text helpers

def split_lines(text):
    parts = text.split("\n")
    lines = [p + "\n" for p in parts[:-1]]
    if parts[-1]:
        lines.append(parts[-1])
    return lines


def body_eol(line):
    body = line.rstrip("\r\n")
    return body, line[len(body):]


def escape_char(lines):
    for i, line in enumerate(lines):
        body = body_eol(line)[0]
        if i == 0:
            body = body.lstrip("\ufeff")
        m = DIRECTIVE.match(body)
        if not m:
            break
        if m.group(1).lower() == "escape" and m.group(2) == "`":
            return "`"
    return "\\"


def file_eol(lines):
    return "\r\n" if lines and lines[0].endswith("\r\n") else "\n"


def is_comment_or_blank(line):
    s = line.strip()
    return not s or s.startswith("#")


# --------------------------------------------------------------------------
# the fixes

def add_eligible(ins):
    if ins.cmd.upper() != "ADD" or ins.heredocs or len(ins.value) < 2:
        return False
    if any(f.split("=", 1)[0].lower() in ("--checksum", "--keep-git-dir", "--unpack")
           for f in ins.flags):
        return False
    for src in ins.value[:-1]:
        low = src.lower()
        if ("$" in src or "://" in low or low.startswith("git@") or low.endswith(".git")
                or ".git#" in low or low.endswith(ARCHIVE)):
            return False
    return True


def copy_kw(kw):
    return "copy" if kw == kw.lower() else "COPY" if kw == kw.upper() else "Copy"


def add_edit(lines, ins, drop_flags=False):
    """(line index, new line) or None."""
    k = ins.start_line - 1
    body, eol = body_eol(lines[k])
    m = re.match(r"^(\ufeff?\s*)(add)(\s+)", body, re.I)
    if not m:
        return None
    rest = body[m.end():]
    if drop_flags:
        rest = re.sub(r"^(--\S+\s+)+", "", rest)
    return k, m.group(1) + copy_kw(m.group(2)) + m.group(3) + rest + eol


def stage_posix(instrs):
    """Per instruction: may RUNs here be joined with && (POSIX shell)?"""
    out, posix, windows = [], True, False
    for ins in instrs:
        c = ins.cmd.upper()
        if c == "FROM":
            windows = bool(ins.value and WINDOWS.search(ins.value[0]))
            posix = True
        elif c == "SHELL":
            prog = re.split(r"[\\/]", ins.value[0])[-1].lower() if ins.value else ""
            posix = ins.json and prog.removesuffix(".exe") not in ("pwsh", "powershell", "cmd")
        out.append(posix and not windows)
    return out


def shell_run(ins):
    return ins.cmd.upper() == "RUN" and not ins.json and not ins.heredocs and bool(ins.value)


def earlier_ok(script):
    s = script.strip()
    return not (LEAK_WORDS.search(s) or ASSIGN.search(s) or "#" in s or BACKGROUND.search(s)
                or "()" in s or re.search(r"(&&|\|\||[|;&\\`])$", s))


def later_ok(script):
    return not (";" in script or "||" in script or "#" in script or BACKGROUND.search(script))


def run_prefix(line, n_flags):
    """Length of `RUN [flags] ` at the start of a line, or None."""
    m = re.match(r"^\ufeff?\s*run((\s+--\S+){%d})\s+" % n_flags, line, re.I)
    return m.end() if m else None


def merge_groups(lines, instrs, esc, relax=None):
    """Lists of instruction indexes to merge. relax: 'leak' / 'orchain' lets
    one guard through (for --break)."""
    posix = stage_posix(instrs)
    groups, cur = [], []

    def close():
        if len(cur) >= 2:
            groups.append(list(cur))
        cur.clear()

    for i, ins in enumerate(instrs):
        ok = shell_run(ins) and posix[i]
        if ok and cur:
            prev = instrs[cur[-1]]
            last_prev = body_eol(lines[prev.end_line - 1])[0].rstrip()
            ok = (tuple(prev.flags) == tuple(ins.flags)
                  and (earlier_ok(prev.value[0]) or relax == "leak")
                  and (later_ok(ins.value[0]) or relax == "orchain")
                  and not last_prev.endswith(esc)
                  and all(is_comment_or_blank(x) for x in lines[prev.end_line:ins.start_line - 1])
                  and run_prefix(body_eol(lines[ins.start_line - 1])[0], len(ins.flags)) is not None)
            if ok:
                cur.append(i)
                continue
        close()
        if shell_run(ins) and posix[i] and run_prefix(body_eol(lines[ins.start_line - 1])[0],
                                                     len(ins.flags)) is not None:
            cur.append(i)
    close()
    return groups


def merged_block(lines, instrs, group, esc, joiner="&&", cont=True, order=None):
    eol = file_eol(lines)
    members = [instrs[i] for i in (order or group)]
    out = []
    for n, ins in enumerate(members):
        body_lines = lines[ins.start_line - 1:ins.end_line]
        if n > 0:
            prev = members[n - 1]
            if order is None:
                out.extend(x if x.endswith("\n") else x + eol
                           for x in lines[prev.end_line:ins.start_line - 1] if x.strip())
            first, feol = body_eol(body_lines[0])
            cut = run_prefix(first, len(ins.flags))
            body_lines = ["    " + first[cut:] + (feol or eol)] + body_lines[1:]
        if n < len(members) - 1:
            last, leol = body_eol(body_lines[-1])
            tail = (" " + esc) if cont else ""
            sep = " && " if joiner == "&&" else "; "
            body_lines = body_lines[:-1] + [last.rstrip() + sep.rstrip() + tail + (leol or eol)]
        out.extend(body_lines)
    return out


def replace_range(lines, a, b, new):
    """Replace 1-based lines a..b (inclusive) by `new`, keeping a missing final newline."""
    res = lines[:a - 1] + new + lines[b:]
    if b >= len(lines) and not lines[-1].endswith("\n") and res and res[-1].endswith("\n"):
        res[-1] = res[-1].rstrip("\r\n")
    return res


def safe_pass(lines, instrs, esc):
    """New lines and applied fixes for one pass of the safe fixes."""
    applied, repl = [], {}
    for ins in instrs:
        if add_eligible(ins):
            e = add_edit(lines, ins)
            if e:
                repl[e[0]] = [e[1]]
                applied.append({"code": "DL3020", "title": "Replace `ADD` with `COPY`"})
    ranges = []
    for g in merge_groups(lines, instrs, esc):
        a, b = instrs[g[0]], instrs[g[-1]]
        ranges.append((a.start_line, b.end_line, merged_block(lines, instrs, g, esc)))
        applied.extend({"code": "DL3059", "title": "Merge consecutive `RUN` instructions"}
                       for _ in g[1:])
    if not applied:
        return None, []
    new = [x for k, line in enumerate(lines) for x in repl.get(k, [line])]
    for a, b, block in sorted(ranges, reverse=True):
        new = replace_range(new, a, b, block)
    return new, applied


def slim_edit(lines, instrs):
    froms = [i for i in instrs if i.cmd.upper() == "FROM"]
    if not froms or not froms[-1].value:
        return None
    ins = froms[-1]
    image = ins.value[0]
    if not re.fullmatch(r"[a-z0-9./_-]+:\d+(\.\d+)*", image):
        return None
    k = ins.start_line - 1
    if image not in lines[k]:
        return None
    new = list(lines)
    new[k] = lines[k].replace(image, image + "-slim", 1)
    return new


def move_edit(lines, instrs):
    for n in range(1, len(instrs)):
        ins, prev = instrs[n], instrs[n - 1]
        if not (shell_run(ins) and OS_INSTALL.search(ins.value[0])
                and prev.cmd.upper() in ("COPY", "ADD")):
            continue
        if not all(is_comment_or_blank(x) for x in lines[prev.end_line:ins.start_line - 1]):
            continue
        s = n - 1  # above the whole run of COPY/ADD right before it
        while s > 0 and instrs[s - 1].cmd.upper() in ("COPY", "ADD"):
            s -= 1
        prev = instrs[s]
        eol = file_eol(lines)
        run = [x if x.endswith("\n") else x + eol for x in lines[ins.start_line - 1:ins.end_line]]
        rest = [x if x.endswith("\n") else x + eol
                for x in lines[prev.start_line - 1:ins.start_line - 1]]
        return replace_range(lines, prev.start_line, ins.end_line, run + rest)
    return None


# --------------------------------------------------------------------------
# deliberate damage (--break)

def break_kinds(ident):
    """The kinds of damage to try on this file, in order (the first that
    applies is used): rare kinds first so that each gets exercised."""
    h = int(hashlib.sha256(ident.encode()).hexdigest()[:12], 16)
    if h % 997 == 3:
        return ["crash"]
    if h % 997 == 5:
        return ["garbage"]
    if h % 4:
        return []
    rare = ["orchain", "addflags", "leak", "addurl"]
    rest = [k for k in BREAK_KINDS if k not in rare]
    r = (h // 4) % len(rest)
    return rare + rest[r:] + rest[:r]


def apply_break(kind, lines, instrs, esc, unsafe):
    """Damaged lines (or None when the kind does not apply here)."""
    if kind in ("semicolon", "swap", "drop", "nocont", "leak", "orchain"):
        relax = kind if kind in ("leak", "orchain") else None
        groups = merge_groups(lines, instrs, esc, relax)
        normal = {tuple(g) for g in merge_groups(lines, instrs, esc)}
        for g in groups:
            a, b = instrs[g[0]], instrs[g[-1]]
            if relax and tuple(g) in normal:
                continue
            if relax == "leak" and not any(re.search(r"(^|&&\s*|;\s*)(cd|export)\s", instrs[i].value[0])
                                           for i in g[:-1]):
                continue
            if relax == "orchain" and not any(
                    re.fullmatch(r"[^()'\"`$;#]*\|\|[^()'\"`$;#]*", instrs[i].value[0]) for i in g[1:]):
                continue
            if kind == "swap":
                if len({instrs[i].value[0] for i in g}) < 2:
                    continue
                block = merged_block(lines, instrs, g, esc, order=list(reversed(g)))
            elif kind == "drop":
                block = lines[a.start_line - 1:a.end_line]
                block = [x if x.endswith("\n") else x + file_eol(lines) for x in block]
            else:
                block = merged_block(lines, instrs, g, esc, joiner=";" if kind == "semicolon" else "&&",
                                     cont=kind != "nocont")
            return replace_range(lines, a.start_line, b.end_line, block)
        return None
    if kind in ("addurl", "addflags"):
        for ins in instrs:
            if ins.cmd.upper() != "ADD" or ins.heredocs:
                continue
            if kind == "addurl" and not add_eligible(ins) and "$" not in "".join(ins.value):
                e = add_edit(lines, ins)
            elif kind == "addflags" and add_eligible(ins) and ins.flags:
                e = add_edit(lines, ins, drop_flags=True)
            else:
                continue
            if e:
                new = list(lines)
                new[e[0]] = e[1]
                return new
        return None
    if kind == "nonidem":
        eol = file_eol(lines)
        new = list(lines)
        if new and not new[-1].endswith("\n"):
            new[-1] += eol
        return new + ["# mock: touched" + eol]
    if kind == "directive":
        if lines and DIRECTIVE.match(body_eol(lines[0])[0].lstrip("\ufeff")) and \
                lines[0].lstrip("\ufeff").lower().startswith("# syntax"):
            return lines[1:]
        return None
    if kind == "unsafeinsafe" and not unsafe:
        return slim_edit(lines, instrs)
    if kind == "dropinstr" and unsafe:
        for ins in instrs:
            if ins.cmd.upper() in ("ENV", "LABEL", "WORKDIR"):
                return replace_range(lines, ins.start_line, ins.end_line, [])
        return None
    return None


# --------------------------------------------------------------------------

def fix_text(text, unsafe):
    """(output, applied, rejected, converged, error)."""
    try:
        instrs = dockerfile.parse_string(text)
    except dockerfile.GoParseError as e:
        return text, [], [], True, str(e)
    applied, rejected = [], []
    cur = text
    for _ in range(MAX_PASSES):
        lines = split_lines(cur)
        esc = escape_char(lines)
        new, got = safe_pass(lines, instrs, esc)
        if new is None and unsafe:
            new = slim_edit(lines, instrs)
            got = [{"code": "DW003", "title": "Use the slim variant of the final base image"}]
            if new is None:
                new = move_edit(lines, instrs)
                got = [{"code": "DW002", "title": "Install OS packages before copying sources"}]
        if new is None:
            return cur, applied, rejected, True, None
        nxt = "".join(new)
        try:
            instrs = dockerfile.parse_string(nxt)
        except dockerfile.GoParseError:
            rejected.extend(got)
            return cur, applied, rejected, True, None
        applied.extend(got)
        cur = nxt
    return cur, applied, rejected, False, None


def corpus_id(path):
    base = os.path.basename(path)
    return base[:-len(".Dockerfile")] if base.endswith(".Dockerfile") else base


def main(argv):
    args = list(argv)
    unsafe = batch = False
    brk = os.environ.get("MOCK_BREAK", "0") == "1"
    log_path = os.environ.get("MOCK_BREAK_LOG")
    while args:
        a = args.pop(0)
        if a == "--batch":
            batch = True
        elif a == "--unsafe":
            unsafe = True
        elif a == "--break":
            brk = True
        elif a == "--break-log" and args:
            log_path = args.pop(0)
        elif a in ("-h", "--help"):
            sys.stdout.write(__doc__)
            return 0
        else:
            sys.stderr.write("mock_fix.py: bad argument %s\n" % a)
            return 2
    if not batch:
        sys.stderr.write("usage: mock_fix.py --batch [--unsafe] < paths\n")
        return 2
    out = sys.stdout
    out.reconfigure(encoding="utf-8", newline="\n")  # type: ignore[attr-defined]
    log = open(log_path, "a", encoding="utf-8") if (brk and log_path) else None
    mode = "unsafe" if unsafe else "safe"
    status = 0
    for p in (line.rstrip("\r\n") for line in sys.stdin):
        if not p.strip():
            continue
        try:
            with open(p, "rb") as f:
                text = f.read().decode("utf-8", errors="replace")
        except OSError as e:
            out.write(json.dumps({"path": p, "changed": False, "output": "", "applied": [],
                                  "rejected": [], "converged": True, "error": "io: %s" % e}) + "\n")
            status = 1
            continue
        kind, source, parsed = None, text, None
        for k in (break_kinds(corpus_id(p)) if brk else []):
            if (k == "swap" and unsafe) or (k == "unsafeinsafe" and unsafe) or (k == "dropinstr" and not unsafe):
                continue  # (the unsafe check allows any order inside a merge)
            if k not in INPUT_KINDS:
                kind = k  # damage the output, below
                break
            # damage the input (a wrong merge / ADD->COPY), then fix the rest
            if parsed is None:
                try:
                    parsed = dockerfile.parse_string(text)
                except dockerfile.GoParseError:
                    break
            lines = split_lines(text)
            damaged = apply_break(k, lines, parsed, escape_char(lines), unsafe)
            if damaged is not None and "".join(damaged) != text:
                source = "".join(damaged)
                if log:
                    log.write(json.dumps({"id": corpus_id(p), "mode": mode, "kind": k}) + "\n")
                break
        output, applied, rejected, converged, error = fix_text(source, unsafe)
        if source != text and error is None:
            applied = [{"code": "DL3059", "title": "Merge consecutive `RUN` instructions"}] + applied
        changed = output != text
        if error is not None:
            kind = None
        if kind in ("crash", "garbage"):
            if log:
                log.write(json.dumps({"id": corpus_id(p), "mode": mode, "kind": kind}) + "\n")
                log.flush()
            if kind == "crash":
                out.flush()
                sys.stderr.write("mock_fix.py: deliberate crash on %s\n" % p)
                os._exit(134)
            out.write("{not json: %s\n" % p)
            continue
        if kind:
            lines = split_lines(output)
            damaged = apply_break(kind, lines, dockerfile.parse_string(output), escape_char(lines), unsafe)
            if damaged is not None and "".join(damaged) != output:
                output = "".join(damaged)
                changed = output != text
                if kind == "flagchanged":
                    changed = False
                if log:
                    log.write(json.dumps({"id": corpus_id(p), "mode": mode, "kind": kind}) + "\n")
            elif kind == "flagchanged" and changed:
                changed = False
                if log:
                    log.write(json.dumps({"id": corpus_id(p), "mode": mode, "kind": kind}) + "\n")
        if error:
            status = 1
        out.write(json.dumps({"path": p, "changed": changed, "output": output, "applied": applied,
                              "rejected": rejected, "converged": converged, "error": error},
                             ensure_ascii=False) + "\n")
    out.flush()
    if log:
        log.close()
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
