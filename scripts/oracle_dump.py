#!/usr/bin/env python3
"""Dump what the parse oracle (PyPI `dockerfile==3.4.0`, i.e. BuildKit's Go
parser v0.12.5) makes of Dockerfiles, in the same JSON shapes as
`dockwright dump`.

Usage:
  oracle_dump.py FILE             JSON array of instructions on stdout
  oracle_dump.py FILE FILE...     one batch line per file (as --batch)
  oracle_dump.py --batch          paths on stdin, one per line; one JSON line
                                  per file: {"path", "ok", "instructions"}
                                  (+ "error" when ok is false)
Options:
  --cache-dir DIR   reuse results stored under DIR, keyed by the oracle
                    version + this script's format version + SHA-256 of the
                    file's bytes (only the content matters, not the path).

Instruction objects: {"cmd", "sub_cmd", "json", "original", "start_line",
"end_line", "flags", "value", "heredocs": [{"name", "file_descriptor",
"content"}]}. `cmd` keeps the file's spelling (BuildKit's oracle does not
lowercase it); `sub_cmd` is null unless the instruction is ONBUILD; the
binding turns an empty cmd / sub_cmd / original into None, dumped as null.

Exit status: 0 all files parsed, 1 some file rejected by the oracle
(message on stderr as `path: error: message`; the oracle gives no
position), 2 I/O or usage error.

Bytes the oracle cannot hand back (decided here, deterministic):
  * Invalid UTF-8. The oracle itself parses the bytes but then raises
    UnicodeDecodeError when converting its result to Python str, so it gives
    no answer at all. We instead decode the file with U+FFFD substitution of
    maximal subparts (Python's errors="replace", the same rule as Swift's
    String(decoding:as: UTF8.self)) and parse that text. Each invalid
    sequence thus becomes U+FFFD in every output string.
  * NUL bytes. The Go<->C bridge truncates strings at NUL. We swap each NUL
    for the placeholder U+10FFFD before parsing and swap it back afterwards,
    so NUL comes out as "\\u0000".
Output JSON: UTF-8, ensure_ascii=False, sorted keys, compact separators.
All output strings are valid Unicode scalar sequences.
"""
import hashlib
import json
import os
import sys
import tempfile

ORACLE_REQ = "dockerfile==3.4.0"
FORMAT_VERSION = "2"  # bump when the shape / byte handling here changes
NUL_PLACEHOLDER = "\U0010FFFD"

try:
    import dockerfile  # type: ignore
except ImportError:  # pragma: no cover
    sys.stderr.write("oracle_dump.py: cannot import 'dockerfile' (%s); run it with the "
                     "venv from scripts/lib/venv.sh\n" % ORACLE_REQ)
    sys.exit(2)


class OracleIOError(Exception):
    pass


def _cmd_to_obj(c, fix):
    return {
        # cmd / sub_cmd / original come back as None when empty (the binding
        # maps "" to None); kept as null.
        "cmd": None if c.cmd is None else fix(c.cmd),
        "sub_cmd": None if c.sub_cmd is None else fix(c.sub_cmd),
        "json": bool(c.json),
        "original": None if c.original is None else fix(c.original),
        "start_line": int(c.start_line),
        "end_line": int(c.end_line),
        "flags": [fix(f) for f in c.flags],
        "value": [fix(v) for v in c.value],
        "heredocs": [
            {"name": fix(h.name), "file_descriptor": int(h.file_descriptor),
             "content": fix(h.content)}
            for h in (c.heredocs or ())
        ],
    }


def parse_bytes(path, data):
    """Return (ok, instructions, error_message)."""
    ident = lambda s: s  # noqa: E731
    clean = b"\0" not in data
    if clean:
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            clean = False
    try:
        if clean:
            # The pure oracle path: BuildKit reads the file itself.
            cmds = dockerfile.parse_file(path)
            fix = ident
        else:
            text = data.decode("utf-8", errors="replace")
            if NUL_PLACEHOLDER in text:
                return False, [], "oracle_dump: file contains both NUL and U+10FFFD; cannot represent"
            text = text.replace("\0", NUL_PLACEHOLDER)
            cmds = dockerfile.parse_string(text)
            fix = lambda s: s.replace(NUL_PLACEHOLDER, "\0")  # noqa: E731
    except dockerfile.GoParseError as e:
        msg = str(e)
        if not clean:
            msg = msg.replace(NUL_PLACEHOLDER, "\\0")
        return False, [], msg
    except dockerfile.GoIOError as e:
        raise OracleIOError(str(e))
    return True, [_cmd_to_obj(c, fix) for c in cmds], None


def cache_key(data):
    h = hashlib.sha256()
    h.update(("%s\0%s\0" % (ORACLE_REQ, FORMAT_VERSION)).encode())
    h.update(data)
    return h.hexdigest()


def result_for(path, cache_dir):
    """Return (record_without_path, io_error_bool)."""
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as e:
        return {"ok": False, "instructions": [], "error": "io: %s" % e}, True
    cpath = None
    if cache_dir:
        key = cache_key(data)
        cpath = os.path.join(cache_dir, key[:2], key + ".json")
        try:
            with open(cpath, "r", encoding="utf-8") as f:
                return json.load(f), False
        except (OSError, ValueError):
            pass
    try:
        ok, instrs, err = parse_bytes(path, data)
    except OracleIOError as e:
        return {"ok": False, "instructions": [], "error": "io: %s" % e}, True
    rec = {"ok": ok, "instructions": instrs}
    if not ok:
        rec["error"] = err
    if cpath:
        os.makedirs(os.path.dirname(cpath), exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=os.path.dirname(cpath), suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(dumps(rec))
        os.replace(tmp, cpath)
    return rec, False


def dumps(obj):
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def main(argv):
    args = list(argv)
    batch = False
    cache_dir = None
    paths = []
    while args:
        a = args.pop(0)
        if a == "--batch":
            batch = True
        elif a == "--cache-dir":
            if not args:
                sys.stderr.write("oracle_dump.py: --cache-dir needs a value\n")
                return 2
            cache_dir = args.pop(0)
        elif a.startswith("--cache-dir="):
            cache_dir = a.split("=", 1)[1]
        elif a in ("-h", "--help"):
            sys.stdout.write(__doc__)
            return 0
        elif a == "--":
            paths.extend(args)
            args = []
        elif a.startswith("-") and a != "-":
            sys.stderr.write("oracle_dump.py: unknown option %s\n" % a)
            return 2
        else:
            paths.append(a)
    if batch:
        if paths:
            sys.stderr.write("oracle_dump.py: --batch takes paths on stdin, not arguments\n")
            return 2
        paths = [line.rstrip("\r\n") for line in sys.stdin if line.strip()]
    elif not paths:
        sys.stderr.write("usage: oracle_dump.py [--cache-dir DIR] (FILE... | --batch)\n")
        return 2

    out = sys.stdout
    out.reconfigure(encoding="utf-8", newline="\n")  # type: ignore[attr-defined]
    status = 0
    single = not batch and len(paths) == 1
    for p in paths:
        rec, ioerr = result_for(p, cache_dir)
        if ioerr:
            status = 2
            sys.stderr.write("%s: error: %s\n" % (p, rec["error"]))
        elif not rec["ok"]:
            status = max(status, 1)
            sys.stderr.write("%s: error: %s\n" % (p, rec["error"]))
        if single:
            if rec["ok"]:
                out.write(dumps(rec["instructions"]) + "\n")
        else:
            line = {"path": p}
            line.update(rec)
            out.write(dumps(line) + "\n")
    out.flush()
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
