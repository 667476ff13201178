#!/usr/bin/env python3
"""Find which Dockerfiles hadolint cannot parse.

usage: hadolint_scan.py --hadolint PATH [--cache-dir DIR] [--jobs N] < paths

Reads paths (one per line) on stdin and prints one JSON line per path:
  {"path": P, "parse_error": bool, "message": str|null, "line": int|null}

hadolint 2.15.1 reports a file it cannot parse as a single finding with
code "DL1000", level "error" (with `--format json`: an array entry
{"code":"DL1000","column":C,"file":F,"level":"error","line":L,"message":M});
the file's other rules are then not run. Several files can be given in one
call and each is reported separately; `--no-fail` keeps the exit status 0
when findings exist, so a non-zero status means hadolint itself failed
(e.g. an unreadable file), in which case the batch is retried file by file.

hadolint is run with an empty config (no ~/.config/hadolint.yaml or
./.hadolint.yaml influence) and HADOLINT_* variables removed. It is slow
(~20 files/s per core), so results are cached in DIR/cache.jsonl keyed by
hadolint version + SHA-256 of the file's bytes.
"""
import argparse
import concurrent.futures
import hashlib
import json
import os
import subprocess
import sys
import tempfile

BATCH = 100


def run_hadolint(exe, config, env, paths):
    """Return {path: (parse_error, message, line)} or None if hadolint failed."""
    cmd = [exe, "--no-fail", "--no-color", "--config", config, "--format", "json", "--"] + paths
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    if p.returncode != 0:
        return None
    txt = p.stdout.decode("utf-8", "replace").strip()
    findings = json.loads(txt) if txt else []
    res = {q: (False, None, None) for q in paths}
    for f in findings:
        if f.get("code") == "DL1000" and f.get("file") in res:
            res[f["file"]] = (True, f.get("message"), f.get("line"))
    return res


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--hadolint", required=True)
    ap.add_argument("--cache-dir")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    ns = ap.parse_args()

    version = subprocess.run([ns.hadolint, "--version"], stdout=subprocess.PIPE,
                             check=True).stdout.decode().strip()
    paths = [l.rstrip("\r\n") for l in sys.stdin if l.strip()]
    env = {k: v for k, v in os.environ.items() if not k.startswith("HADOLINT_")}
    env["NO_COLOR"] = "1"

    cache = {}
    cache_file = None
    if ns.cache_dir:
        os.makedirs(ns.cache_dir, exist_ok=True)
        cache_file = os.path.join(ns.cache_dir, "cache.jsonl")
        if os.path.exists(cache_file):
            with open(cache_file, "r", encoding="utf-8") as f:
                for line in f:
                    try:
                        o = json.loads(line)
                        cache[o["key"]] = o
                    except (ValueError, KeyError):
                        pass

    keys = {}
    for p in paths:
        h = hashlib.sha256(("%s\0" % version).encode())
        with open(p, "rb") as f:
            h.update(f.read())
        keys[p] = h.hexdigest()

    todo = [p for p in paths if keys[p] not in cache]
    results = {}
    if todo:
        fd, config = tempfile.mkstemp(suffix=".yaml")
        os.write(fd, b"{}\n")
        os.close(fd)
        try:
            batches = [todo[i:i + BATCH] for i in range(0, len(todo), BATCH)]

            def work(batch):
                r = run_hadolint(ns.hadolint, config, env, batch)
                if r is None:  # retry one by one to isolate the culprit
                    r = {}
                    for q in batch:
                        one = run_hadolint(ns.hadolint, config, env, [q])
                        r[q] = one[q] if one else (None, "hadolint failed on this file", None)
                return r

            with concurrent.futures.ThreadPoolExecutor(max(1, ns.jobs)) as ex:
                for r in ex.map(work, batches):
                    results.update(r)
        finally:
            os.unlink(config)
        if cache_file:
            with open(cache_file, "a", encoding="utf-8") as f:
                for p, (perr, msg, line) in results.items():
                    if perr is None:
                        continue
                    o = {"key": keys[p], "parse_error": perr, "message": msg, "line": line}
                    cache[keys[p]] = o
                    f.write(json.dumps(o, ensure_ascii=False, sort_keys=True) + "\n")

    status = 0
    out = sys.stdout
    for p in paths:
        if p in results:
            perr, msg, line = results[p]
        else:
            c = cache[keys[p]]
            perr, msg, line = c["parse_error"], c["message"], c["line"]
        if perr is None:
            status = 2
            sys.stderr.write("%s: %s\n" % (p, msg))
        out.write(json.dumps({"path": p, "parse_error": perr, "message": msg, "line": line},
                             ensure_ascii=False, sort_keys=True) + "\n")
    return status


if __name__ == "__main__":
    sys.exit(main())
