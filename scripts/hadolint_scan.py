#!/usr/bin/env python3
"""Find which Dockerfiles hadolint cannot parse.

usage: hadolint_scan.py --hadolint PATH [--cache-dir DIR] [--jobs N] < paths

Reads paths (one per line) on stdin and prints one JSON line per path:
  {"path": P, "parse_error": bool, "message": str|null, "line": int|null}

hadolint 2.15.1 reports a file it cannot parse as a single finding with
code "DL1000", level "error" (with `--format json`: an array entry
{"code":"DL1000","column":C,"file":F,"level":"error","line":L,"message":M});
the file's other rules are then not run.

hadolint is run by scripts/hadolint_findings.py: empty config, HADOLINT_*
variables removed, batches of files, a failing batch retried file by file
(a file hadolint still fails on gets parse_error null and exit status 2).
It is slow (~10-20 files/s per core), so all its findings are cached in
DIR/findings.jsonl keyed by hadolint version + SHA-256 of the file's bytes;
scripts/parity.sh reads the same cache (.build/hadolint-findings-cache).
"""
import argparse
import json
import os
import sys

from hadolint_findings import SetupError, hadolint_findings


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--hadolint", required=True)
    ap.add_argument("--cache-dir")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    ns = ap.parse_args()

    paths = [l.rstrip("\r\n") for l in sys.stdin if l.strip()]
    try:
        res, _ = hadolint_findings(ns.hadolint, paths, ns.cache_dir, ns.jobs)
    except SetupError as e:
        sys.stderr.write("hadolint_scan: %s\n" % e)
        return 2

    status = 0
    out = sys.stdout
    for p in paths:
        fs = res[p]
        if fs is None:
            status = 2
            sys.stderr.write("%s: hadolint failed on this file\n" % p)
            perr, msg, line = None, "hadolint failed on this file", None
        else:
            err = next((f for f in fs if f.get("code") == "DL1000"), None)
            perr = err is not None
            msg, line = (err.get("message"), err.get("line")) if err else (None, None)
        out.write(json.dumps({"path": p, "parse_error": perr, "message": msg, "line": line},
                             ensure_ascii=False, sort_keys=True) + "\n")
    return status


if __name__ == "__main__":
    sys.exit(main())
