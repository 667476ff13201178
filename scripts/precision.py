#!/usr/bin/env python3
"""Samples findings per rule over the corpus for hand review of precision: lints every
*.Dockerfile with `dockwright lint --format json --isolated`, picks N findings per rule
with a fixed seed (the same sample every run for the same findings), and prints each with
file:line, the message, the fix title, and the source lines of its instruction.

usage: scripts/precision.py [--rules DW003,DL3003] [--per-rule N] [--seed S]
                            [DOCKWRIGHT_BIN] [CORPUS_DIR]
  --rules     comma-separated codes to sample (default: every code found)
  --per-rule  findings sampled per rule (default 10)
  --seed      sampling seed (default 14)
The summary at the end gives, per rule, the number of findings and of files with one.
"""
import argparse
import collections
import json
import os
import random
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def instruction_lines(lines, line):
    """The lines of the instruction that starts at or before `line` (1-based): back to the
    line that does not follow a `\\` continuation, forward while lines end with `\\`."""
    start = line
    while start > 1 and lines[start - 2].rstrip().endswith("\\"):
        start -= 1
    end = line
    while end <= len(lines) and lines[end - 1].rstrip().endswith("\\") and end - start < 40:
        end += 1
    return start, lines[start - 1:min(end, len(lines))]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("binary", nargs="?", default=os.path.join(REPO, ".build/release/dockwright"))
    parser.add_argument("corpus", nargs="?", default=os.path.join(REPO, "../shared/corpus/files"))
    parser.add_argument("--rules", default="")
    parser.add_argument("--per-rule", type=int, default=10)
    parser.add_argument("--seed", type=int, default=14)
    args = parser.parse_args()

    command = [args.binary, "lint", "--isolated", "--format", "json"]
    if args.rules:
        command += ["--select", args.rules]
    run = subprocess.run(command + [args.corpus], capture_output=True, text=True)
    if run.returncode not in (0, 1):
        sys.stderr.write(run.stderr)
        return 2
    findings = [f for f in json.loads(run.stdout or "[]") if f["code"] not in ("DW000", "DL1000")]
    wanted = set(args.rules.split(",")) if args.rules else None
    by_rule = collections.defaultdict(list)
    for finding in findings:
        if wanted is None or finding["code"] in wanted:
            by_rule[finding["code"]].append(finding)

    summary = []
    for code in sorted(by_rule):
        items = sorted(by_rule[code], key=lambda f: (f["file"], f["line"], f["column"]))
        sample = random.Random("%s:%d" % (code, args.seed)).sample(items, min(args.per_rule, len(items)))
        summary.append((code, len(items), len({f["file"] for f in items})))
        print("=" * 100)
        print("%s: %d findings in %d files; sample of %d (seed %d)"
              % (code, len(items), len({f["file"] for f in items}), len(sample), args.seed))
        for index, finding in enumerate(sorted(sample, key=lambda f: (f["file"], f["line"])), 1):
            with open(finding["file"], encoding="utf-8", errors="replace") as handle:
                lines = handle.read().split("\n")
            start, text = instruction_lines(lines, finding["line"])
            print("-" * 100)
            print("[%s #%d] %s:%d:%d" % (code, index, os.path.basename(finding["file"]), finding["line"],
                                         finding["column"]))
            print("  message: %s" % finding["message"])
            if finding.get("fix"):
                print("  fix (%s): %s" % (finding["fix"]["applicability"], finding["fix"]["title"]))
            # The instruction's first line, then the finding's line with two lines around it.
            shown = sorted({start} | {n for n in range(finding["line"] - 2, finding["line"] + 3)
                                      if start <= n < start + len(text)})
            previous = None
            for number in shown:
                if previous is not None and number > previous + 1:
                    print("        | ...")
                print("  %5d | %s" % (number, text[number - start][:200]))
                previous = number
    print("=" * 100)
    for code, count, files in summary:
        print("precision-sample: %s findings=%d files=%d" % (code, count, files))
    return 0


if __name__ == "__main__":
    sys.exit(main())
