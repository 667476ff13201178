#!/usr/bin/env python3
"""The reference side of the shell-parser differential test: parse a RUN
script with a real shell parser (`shfmt --to-json -ln bash`, Debian package
shfmt 3.6.0) and list its simple commands in the shape that
`dockwright shell-commands --batch` prints.

Usage:
  shfmt_commands.py [FILE|-]      one script (default stdin) -> one JSON object
                                  {"ok", "error", "commands"} on stdout
  shfmt_commands.py --batch       JSON lines of `dockwright shell-commands
                                  --batch` on stdin (needs "path", "line",
                                  "script"); one JSON line per input line on
                                  stdout, same order: {"path", "line",
                                  "sha256", "ok", "error", "commands"}
  shfmt_commands.py --selftest    built-in checks (word values are also
                                  checked against `bash -c printf` when bash
                                  is installed); last line `shfmt-selftest: N
                                  passed, M failed`
Options:
  --cache-dir DIR  reuse results under DIR, keyed by shfmt version + this
                   script's FORMAT_VERSION + SHA-256 of the script text
  --jobs N         parallel shfmt processes (default: CPU count)
env: SHFMT  shfmt binary (default: shfmt on PATH)

Commands: the pre-order sequence of simple commands that have at least one
word. A command comes before the commands nested in its own words and
redirections; those come in source order (a heredoc body is the last part
of the command that owns it). Everything is searched: command and process
substitutions, backquotes, ${x:-...} operands, arithmetic, [[ ]], subshells,
groups, if/while/until/for/select/case bodies, functions, coproc, time.
  CallExpr     name = literal value of the first word, args = the others
  DeclClause   (export/declare/local/readonly/typeset/nameref) a simple command
               named by its variant; each argument rendered as the word bash
               would see: NAME, NAME=VALUE, NAME+=VALUE, NAME[I]=VALUE (null
               when not literal; array values x=(...) are null)
  LetClause    `let` + one arg per expression: the literal source text of the
               expression (quoted expressions decoded), null if it holds
               quotes/expansions
  TimeClause, TestClause ([[ ]]), ArithmCmd ((( ))), negation `!`: not
               commands themselves (their inner parts are searched).
A word is literal when made only of Lit, SglQuoted ('..' and $'..'),
DblQuoted holding only Lit (also $"..") and ExtGlob (kept as its source
text, e.g. "!(*.c)"); its value is computed as bash does (quote removal,
backslash escapes per context, $'..' ANSI-C escapes; invalid UTF-8 produced
by \\xHH / octal escapes becomes U+FFFD; a NUL escape ends the $'..' value as
in bash). Tilde, globs and braces stay as typed ("~/x", "*.c", "{a,b}").
Exit status: 0, or 1 when some script was rejected (single mode), 2 on
setup errors (shfmt missing, bad input).
"""
import concurrent.futures
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile

FORMAT_VERSION = "2"  # bump when the extraction rules here change
SHFMT_ARGS = ["-ln", "bash", "--to-json"]
TIMEOUT = 60


# --------------------------------------------------------------------------
# word values

def _unquoted(s):
    out, i, n = [], 0, len(s)
    while i < n:
        c = s[i]
        if c == "\\" and i + 1 < n:
            out.append(s[i + 1])
            i += 2
        else:
            out.append(c)
            i += 1
    return "".join(out)


def _dquoted(s):
    out, i, n = [], 0, len(s)
    while i < n:
        c = s[i]
        if c == "\\" and i + 1 < n and s[i + 1] in '$`"\\\n':
            if s[i + 1] != "\n":
                out.append(s[i + 1])
            i += 2
        else:
            out.append(c)
            i += 1
    return "".join(out)


_SIMPLE_ESC = {"a": 7, "b": 8, "e": 27, "E": 27, "f": 12, "n": 10, "r": 13,
               "t": 9, "v": 11, "\\": 92, "'": 39, '"': 34, "?": 63}
_HEX = "0123456789abcdefABCDEF"


def _utf8_31(v):
    """bash's u32toutf8: the original 31-bit UTF-8 (surrogates and values
    above U+10FFFF are encoded too; 0 and >= 2^31 give nothing)."""
    if v == 0 or v >= 0x80000000:
        return b"\0" if v == 0 else b""
    if v < 0x80:
        return bytes([v])
    for nbytes, lead, limit in ((2, 0xC0, 0x800), (3, 0xE0, 0x10000), (4, 0xF0, 0x200000),
                                (5, 0xF8, 0x4000000), (6, 0xFC, 0x80000000)):
        if v < limit:
            out = []
            for _ in range(nbytes - 1):
                out.append(0x80 | (v & 0x3F))
                v >>= 6
            return bytes([lead | v] + out[::-1])
    return b""


def ansi_c(s):
    """Value of $'s' as bash 5 computes it in a UTF-8 locale."""
    buf = bytearray()
    i, n = 0, len(s)
    while i < n:
        c = s[i]
        if c != "\\" or i + 1 >= n:
            buf += c.encode("utf-8", "surrogatepass")
            i += 1
            continue
        e = s[i + 1]
        i += 2
        if e in _SIMPLE_ESC:
            buf.append(_SIMPLE_ESC[e])
        elif e in "01234567":
            j = i
            while j < n and j - i < 2 and s[j] in "01234567":
                j += 1
            buf.append(int(e + s[i:j], 8) & 0xFF)
            i = j
        elif e in "xuU":
            lim = {"x": 2, "u": 4, "U": 8}[e]
            j = i
            while j < n and j - i < lim and s[j] in _HEX:
                j += 1
            if j == i:
                buf += ("\\" + e).encode()
                continue
            v = int(s[i:j], 16)
            i = j
            if e == "x":
                buf.append(v)
            else:
                buf += _utf8_31(v)
        elif e == "c":
            if i >= n:
                buf += b"\\c"
                continue
            x = s[i]
            i += 1
            if x == "\\" and i < n and s[i] == "\\":
                i += 1
            buf.append(0x7F if x == "?" else (ord(x.upper()) & 0x1F if ord(x) < 128 else ord(x) & 0x1F))
        else:
            buf += ("\\" + e).encode("utf-8", "surrogatepass")
    if 0 in buf:  # bash strings end at NUL
        buf = buf[: buf.index(0)]
    return buf.decode("utf-8", errors="replace")


class Src:
    """The script as UTF-8 bytes; shfmt positions are byte offsets."""

    def __init__(self, text):
        self.b = text.encode("utf-8", "surrogatepass")

    def slice(self, a, b):
        return self.b[a:b].decode("utf-8", errors="replace")


def off(node, key="Pos"):
    p = node.get(key)
    return p.get("Offset", 0) if isinstance(p, dict) else None


def word_value(word, src):
    """Literal value of a Word node, or None when it holds an expansion."""
    if not isinstance(word, dict):
        return None
    out = []
    for p in word.get("Parts") or ():
        t = p.get("Type")
        if t == "Lit":
            out.append(_unquoted(p.get("Value", "")))
        elif t == "SglQuoted":
            v = p.get("Value", "")
            out.append(ansi_c(v) if p.get("Dollar") is True else v)
        elif t == "DblQuoted":
            lits = []
            for q in p.get("Parts") or ():
                if q.get("Type") != "Lit":
                    return None
                lits.append(q.get("Value", ""))
            out.append(_dquoted("".join(lits)))
        elif t == "ExtGlob":
            out.append(src.slice(off(p), off(p, "End")))
        else:
            return None
    return "".join(out)


_PLAIN_BAD = set("'\"\\$`")


def _plain(text):
    return None if any(c in _PLAIN_BAD for c in text) else text


def decl_arg(a, src):
    """Render one DeclClause Assign as the literal word bash would see."""
    if a.get("Array") is not None:
        return None
    val = a.get("Value")
    if a.get("Naked") is True and a.get("Name") is None:
        return word_value(val, src)
    if val is not None and val.get("Parts"):
        prefix = _plain(src.slice(off(a), off(val)))
        v = word_value(val, src)
        return None if prefix is None or v is None else prefix + v
    return _plain(src.slice(off(a), off(a, "End")))


def let_arg(e, src):
    if e.get("Type") == "Word":
        return word_value(e, src)
    text = src.slice(off(e), off(e, "End"))
    return None if any(c.isspace() for c in text) else _plain(text)


# --------------------------------------------------------------------------
# traversal

def _is_pos(d):
    return "Offset" in d and "Line" in d and "Col" in d and "Type" not in d


def _redir_children(stmt):
    # a Redirect sits at its operator; its heredoc body comes later in the
    # source, so its parts are ordered on their own
    kids = []
    for r in stmt.get("Redirs") or ():
        if isinstance(r, dict):
            kids.extend(_children(r))
    return kids


def _children(node):
    kids = []
    for k, v in node.items():
        if k == "Redirs":
            kids.extend(_redir_children(node))
        elif isinstance(v, dict):
            if not _is_pos(v):
                kids.append(v)
        elif isinstance(v, list):
            kids.extend(x for x in v if isinstance(x, dict) and not _is_pos(x))
    return kids


def _sorted(kids):
    big = float("inf")
    return sorted(kids, key=lambda k: (off(k) if off(k) is not None else big))


def _command(cmd, src):
    t = cmd.get("Type")
    if t == "CallExpr":
        args = cmd.get("Args") or []
        if not args:
            return None
        return {"name": word_value(args[0], src),
                "args": [word_value(w, src) for w in args[1:]]}
    if t == "DeclClause":
        return {"name": (cmd.get("Variant") or {}).get("Value"),
                "args": [decl_arg(a, src) for a in cmd.get("Args") or []]}
    if t == "LetClause":
        return {"name": "let", "args": [let_arg(e, src) for e in cmd.get("Exprs") or []]}
    return None


def de_backslash(text, in_dq):
    """What bash parses for the inside of `...`: a backslash before $, ` or
    \\ (and before " when the backquotes sit inside double quotes) is removed."""
    special = '$`\\"' if in_dq else '$`\\'
    out, i, n = [], 0, len(text)
    while i < n:
        if text[i] == "\\" and i + 1 < n and text[i + 1] in special:
            i += 1
        out.append(text[i])
        i += 1
    return "".join(out)


def commands_of(ast, src, reparse=None):
    """reparse(text) -> commands or None: used for `...` holding backslashes,
    whose inner text bash unescapes and parses anew (shfmt keeps the escapes
    in its literals and, in double quotes, may split words differently)."""
    out = []
    stack = [(ast, False)]
    # iterative pre-order walk (deep scripts would overflow Python recursion)
    while stack:
        node, in_dq = stack.pop()
        if isinstance(node, list):  # commands of a re-parsed `...`
            out.extend(node)
            continue
        t = node.get("Type")
        cmd = node.get("Cmd") if isinstance(node.get("Cmd"), dict) else None
        if cmd is not None and cmd.get("Type") in ("CallExpr", "DeclClause", "LetClause"):
            # a Stmt holding a simple command: the command, then its words and
            # redirections (and their heredoc bodies) in source order
            c = _command(cmd, src)
            if c is not None:
                out.append(c)
            kids = _children(cmd) + _redir_children(node)
        else:
            if t == "CmdSubst" and node.get("Backquotes") is True and reparse is not None:
                inner = src.slice(off(node) + 1, off(node, "End") - 1)
                if "\\" in inner:
                    cmds = reparse(de_backslash(inner, in_dq))
                    if cmds is not None:
                        stack.append((cmds, False))
                        continue
            if t in ("CallExpr", "DeclClause", "LetClause"):
                c = _command(node, src)  # not under a Stmt (does not happen in 3.6)
                if c is not None:
                    out.append(c)
            kids = _children(node)
        if t == "DblQuoted":
            in_dq = True
        elif t in ("CmdSubst", "ProcSubst"):
            in_dq = False
        stack.extend((k, in_dq) for k in reversed(_sorted(kids)))
    return out


# --------------------------------------------------------------------------
# running shfmt

def shfmt_bin():
    return os.environ.get("SHFMT") or shutil.which("shfmt")


def shfmt_version(binary):
    r = subprocess.run([binary, "--version"], stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, timeout=TIMEOUT)
    return r.stdout.decode("utf-8", "replace").strip()


def analyze(script, binary, depth=0):
    """Return {"ok", "error", "commands"} for one script."""
    data = script.encode("utf-8", "surrogatepass")
    try:
        r = subprocess.run([binary] + SHFMT_ARGS, input=data, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        return {"ok": False, "error": "shfmt: timeout after %ds" % TIMEOUT, "commands": []}
    if r.returncode != 0:
        msg = r.stderr.decode("utf-8", "replace").strip().splitlines()
        return {"ok": False, "error": (msg[0] if msg else "shfmt exit %d" % r.returncode),
                "commands": []}
    ast = json.loads(r.stdout.decode("utf-8", "replace"))

    def reparse(text):
        if depth >= 20:
            return None
        r = analyze(text, binary, depth + 1)
        return r["commands"] if r["ok"] else None

    return {"ok": True, "error": None, "commands": commands_of(ast, Src(script), reparse)}


def sha256(script):
    return hashlib.sha256(script.encode("utf-8", "surrogatepass")).hexdigest()


class Cache:
    def __init__(self, directory, version):
        self.dir = directory
        self.salt = ("%s\0%s\0%s\0" % (version, FORMAT_VERSION, " ".join(SHFMT_ARGS))).encode()

    def _path(self, script):
        k = hashlib.sha256(self.salt + script.encode("utf-8", "surrogatepass")).hexdigest()
        return os.path.join(self.dir, k[:2], k + ".json")

    def get(self, script):
        if not self.dir:
            return None
        try:
            with open(self._path(script), "r", encoding="utf-8") as f:
                return json.load(f)
        except (OSError, ValueError):
            return None

    def put(self, script, rec):
        if not self.dir:
            return
        p = self._path(script)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=os.path.dirname(p), suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(dumps(rec))
        os.replace(tmp, p)


def _work(args):
    script, binary, cache_dir, version = args
    rec = analyze(script, binary)
    Cache(cache_dir, version).put(script, rec)
    return rec


def analyze_many(scripts, binary, cache_dir=None, jobs=None):
    """dict script -> record, using the cache and a process pool."""
    version = shfmt_version(binary)
    cache = Cache(cache_dir, version)
    res, todo = {}, []
    for s in dict.fromkeys(scripts):
        hit = cache.get(s)
        if hit is not None:
            res[s] = hit
        else:
            todo.append(s)
    if todo:
        jobs = jobs or os.cpu_count() or 1
        if jobs == 1 or len(todo) < 4:
            for s in todo:
                res[s] = _work((s, binary, cache_dir, version))
        else:
            with concurrent.futures.ProcessPoolExecutor(max_workers=jobs) as ex:
                work = [(s, binary, cache_dir, version) for s in todo]
                for s, rec in zip(todo, ex.map(_work, work, chunksize=8)):
                    res[s] = rec
    return res, len(todo)


def dumps(obj):
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


# --------------------------------------------------------------------------
# self test

SELFTEST = [
    # (script, expected commands as (name, [args]) tuples)
    ("echo $(date)", [("echo", [None]), ("date", [])]),
    ("a=1; b=$(x) y=2", [("x", [])]),
    ("x=1 cmd 'a b' \"c\\$d\" e\\ f", [("cmd", ["a b", "c$d", "e f"])]),
    ("echo \"\\q\\\\\" '\\n' $'a\\tb\\x41\\101\\u00e9\\cA' $\"t\"",
     [("echo", ["\\q\\", "\\n", "a\tbAA\u00e9\x01", "t"])]),
    ("echo ${x:-$(a)} `b \\`c\\``", [("echo", [None, None]), ("a", []), ("b", [None]), ("c", [])]),
    ("! [ -f x ] && { echo }; }", [("[", ["-f", "x", "]"]), ("echo", ["}"])]),
    ("time -p ls; [[ -n $(t) ]]; ((i += $(u)))", [("ls", []), ("t", []), ("u", [])]),
    ("export A=1 B \"C=d e\" D+=f G[1]=h; declare -a x=(1 2); local -r y=$z",
     [("export", ["A=1", "B", "C=d e", "D+=f", "G[1]=h"]), ("declare", ["-a", None]),
      ("local", ["-r", None])]),
    ("let x=1 'y = 2' z++", [("let", ["x=1", "y = 2", "z++"])]),
    ("function f { g; }; h() ( i ); f", [("g", []), ("i", []), ("f", [])]),
    ("if a; then b; elif c; then d; else e; fi; while f; do g; done; until h; do :; done",
     [(c, []) for c in "abcdefgh"] + [(":", [])]),
    ("for i in 1 2; do echo $i; done; for ((i=0;i<2;i++)); do j; done; select v in a; do k; done",
     [("echo", [None]), ("j", []), ("k", [])]),
    ("case $x in a|b) p;; @(c)) q;& *) r;;& esac", [("p", []), ("q", []), ("r", [])]),
    ("cat <(a) >(b) > $(c) 2>&1 <<E $(d)\n$(e)\nE\nf", [("cat", [None, None, None]), ("a", []),
                                                       ("b", []), ("c", []), ("d", []), ("e", []),
                                                       ("f", [])]),
    ("x=$(cat <<'E'\n$(no)\nE\n)", [("cat", [])]),
    ("echo a#b #c d\nls ~/x *.c {a,b} !(*.o) { }", [("echo", ["a#b"]),
                                                   ("ls", ["~/x", "*.c", "{a,b}", "!(*.o)", "{", "}"])]),
    ("ec\\\nho \"a\\\nb\" c\\\n", [("echo", ["ab", "c"])]),
    ("a | b |& c && d || e & f", [(c, []) for c in "abcdef"]),
    ("coproc g { h; }", [("h", [])]),
    ("echo $((1 + $(n))) ${a[$(m)]} ${b/$(o)/$(p)}", [("echo", [None, None, None]), ("n", []),
                                                       ("m", []), ("o", []), ("p", [])]),
]

BASH_WORDS = [
    "plain", "a\\ b", "'s q'", "\"d\\q\\$\\`\\\"\\\\\"", "$'\\a\\b\\e\\E\\f\\n\\r\\t\\v'",
    "$'\\101\\0101\\7\\18'", "$'\\x41\\x4g\\xg'", "$'\\u00e9\\U0001F600\\u'", "$'\\cA\\c?\\cz'",
    "$'\\q\\'\\\"\\?'", "$'a\\x00b'", "$'\\xff\\xc3\\xa9'", "a\"b\"'c'$'d'", "\\\\", "~x",
    "$\"loc\"", "'a\\\nb'", "\"x\\\ny\"", "$'\\U110000'", "$'\\ud800'", "$'\\U7FFFFFFF'",
    "$'x\\U80000000y'", "$'\\c'", "$'\\c\\\\x'",
]

# inner command substitutions whose argument bash prints (outer printf)
BASH_NESTED = [
    r'`printf %s \\$HOME`', r'`printf %s \"x\"`', r'"`printf %s \"x\"`"', r'"`printf %s \\\"x\\\"`"',
    r'`printf %s \\\\`', r'`printf %s "a\\\\b"`', r"`printf %s 'a\\b'`", r'"$(printf %s "a\"b")"',
    r"$(printf %s $'\x41')", "\"`printf %s 'a b'`\"", r'"`printf %s \\\`x\\\``"',
]


def selftest(binary):
    passed = failed = 0

    def check(label, got, want):
        nonlocal passed, failed
        if got == want:
            passed += 1
        else:
            failed += 1
            print("FAIL %s\n  want %s\n  got  %s" % (label, dumps(want), dumps(got)))

    for script, want in SELFTEST:
        r = analyze(script, binary)
        got = [(c["name"], c["args"]) for c in r["commands"]] if r["ok"] else r["error"]
        check(json.dumps(script), got, [(n, a) for n, a in want])
    bad = analyze("echo 'unterminated", binary)
    check("rejects unterminated quote", bad["ok"], False)
    bash = shutil.which("bash")
    if bash:
        for w in BASH_WORDS:
            r = subprocess.run([bash, "-c", "printf '%s\\0' " + w], stdout=subprocess.PIPE,
                               env=dict(os.environ, LC_ALL="C.UTF-8"))
            want = r.stdout.split(b"\0")[0].decode("utf-8", "replace")
            got = analyze("printf " + w, binary)
            got = got["commands"][0]["args"][0] if got["ok"] else got["error"]
            check("bash value of %s" % w, got, want)
        for w in BASH_NESTED:
            r = subprocess.run([bash, "-c", "printf %s " + w], stdout=subprocess.PIPE,
                               env=dict(os.environ, LC_ALL="C.UTF-8"))
            want = r.stdout.decode("utf-8", "replace")
            got = analyze("printf %s " + w, binary)
            got = got["commands"][1]["args"][-1] if got["ok"] and len(got["commands"]) > 1 else got
            check("bash value in %s" % w, got, want)
    else:
        print("note: bash not found; word values not cross-checked")
    print("shfmt-selftest: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


# --------------------------------------------------------------------------

def main(argv):
    args = list(argv)
    batch = test = False
    cache_dir = None
    jobs = None
    files = []
    while args:
        a = args.pop(0)
        if a == "--batch":
            batch = True
        elif a == "--selftest":
            test = True
        elif a in ("--cache-dir", "--jobs"):
            if not args:
                sys.stderr.write("shfmt_commands.py: %s needs a value\n" % a)
                return 2
            v = args.pop(0)
            if a == "--jobs":
                jobs = int(v)
            else:
                cache_dir = v
        elif a in ("-h", "--help"):
            sys.stdout.write(__doc__)
            return 0
        elif a.startswith("-") and a != "-":
            sys.stderr.write("shfmt_commands.py: unknown option %s\n" % a)
            return 2
        else:
            files.append(a)
    binary = shfmt_bin()
    if not binary:
        sys.stderr.write("shfmt_commands.py: shfmt not found (apt-get install shfmt, or set SHFMT)\n")
        return 2
    sys.stdout.reconfigure(encoding="utf-8", newline="\n")  # type: ignore[attr-defined]
    if test:
        return selftest(binary)
    if not batch:
        if len(files) > 1:
            sys.stderr.write("shfmt_commands.py: one script at a time (or --batch)\n")
            return 2
        if files and files[0] != "-":
            with open(files[0], "r", encoding="utf-8", errors="surrogateescape") as f:
                text = f.read()
        else:
            text = sys.stdin.read()
        rec = analyze(text, binary)
        print(dumps(rec))
        return 0 if rec["ok"] else 1
    rows = []
    for n, line in enumerate(sys.stdin, 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
            rows.append((obj["path"], obj["line"], obj["script"]))
        except (ValueError, KeyError, TypeError) as e:
            sys.stderr.write("shfmt_commands.py: stdin:%d: unreadable batch line (%s)\n" % (n, e))
            rows.append(None)
    res, ran = analyze_many([r[2] for r in rows if r and isinstance(r[2], str)], binary,
                            cache_dir, jobs)
    for r in rows:
        if r is None or not isinstance(r[2], str):
            print(dumps({"path": r and r[0], "line": r and r[1], "sha256": None, "ok": False,
                         "error": "unreadable input line", "commands": []}))
            continue
        rec = dict(res[r[2]])
        rec.update({"path": r[0], "line": r[1], "sha256": sha256(r[2])})
        print(dumps(rec))
    sys.stderr.write("shfmt_commands.py: %d scripts (%d distinct, %d run, %d cached)\n"
                     % (len(rows), len(res), ran, len(res) - ran))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
