#!/usr/bin/env python3
"""Compare `dockwright shell-commands --batch` output (ours) with shfmt's
reading of the same scripts (scripts/shfmt_commands.py --batch, same order).

Usage:
  compare_shell.py --ours OURS.jsonl --shfmt SHFMT.jsonl
                   [--known scripts/known-shell-differences.tsv]
                   [--label shell-commands] [--show 20] [--report FILE]

Each RUN script is classified:
  agree     both accept and list the same commands, or both reject
  disagree  both accept, different commands                 (fails)
  reject    shfmt accepts, we reject                        (fails)
  lenient   we accept, shfmt rejects: listed, does not fail
  known     not agreeing but listed in --known: does not fail
--known: TSV, header row and '#' lines ignored; column 1 is a corpus file id
(every script of that file), `id:line` (the RUN starting at that line) or the
SHA-256 of the script text; column 2 the reason.
Printed: counts, the agreement rate, the top shfmt rejection reasons, the
first --show entries of each list, then `LABEL: N passed, M failed`
(passed = agree + lenient). Exit 1 when M > 0, 2 when an input is unusable.
"""
import argparse
import collections
import hashlib
import json
import os
import re
import sys


def file_id(path):
    base = os.path.basename(path or "")
    for suf in (".Dockerfile", ".dockerfile"):
        if base.endswith(suf):
            return base[: -len(suf)]
    return base


def load_jsonl(path):
    rows, bad = [], 0
    with open(path, "r", encoding="utf-8", errors="replace") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
                if not isinstance(obj, dict):
                    raise ValueError("not an object")
            except ValueError as e:
                bad += 1
                if bad <= 3:
                    sys.stderr.write("%s:%d: unreadable line (%s): %.120s\n" % (path, n, e, line))
                obj = None
            rows.append(obj)
    return rows, bad


def load_known(path):
    known = {}
    if not path or not os.path.exists(path):
        return known
    with open(path, "r", encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\r\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            cols = line.split("\t")
            if n == 1 and cols[0].strip().lower() in ("id", "key", "path", "sha256"):
                continue
            known[cols[0].strip()] = cols[1].strip() if len(cols) > 1 else ""
    return known


def valid_commands(v):
    if not isinstance(v, list):
        return False
    for c in v:
        if not isinstance(c, dict) or set(c) != {"name", "args"}:
            return False
        if c["name"] is not None and not isinstance(c["name"], str):
            return False
        if not isinstance(c["args"], list) or any(a is not None and not isinstance(a, str)
                                                  for a in c["args"]):
            return False
    return True


def cmd_text(c, width=110):
    if c is None:
        return "(none)"
    s = json.dumps([c["name"]] + c["args"], ensure_ascii=False)
    return s if len(s) <= width else s[:width] + "…"


def first_diff(a, b):
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            return i
    return min(len(a), len(b))


_POS = re.compile(r"^(<standard input>:)?\d+:\d+:\s*")


def reason(err):
    s = _POS.sub("", (err or "").strip())
    s = re.sub(r'"[^"]*"', '"…"', s) if len(s) > 80 else s
    return s[:100]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ours", required=True)
    ap.add_argument("--shfmt", required=True)
    ap.add_argument("--known")
    ap.add_argument("--label", default="shell-commands")
    ap.add_argument("--show", type=int, default=20)
    ap.add_argument("--report")
    ns = ap.parse_args()

    ours, bad_o = load_jsonl(ns.ours)
    ref, bad_r = load_jsonl(ns.shfmt)
    if len(ours) != len(ref):
        sys.stderr.write("compare_shell: %d lines of ours but %d of shfmt; inputs out of step\n"
                         % (len(ours), len(ref)))
        return 2
    known = load_known(ns.known)

    cnt = collections.Counter()
    files = set()
    lists = collections.defaultdict(list)  # kind -> [(where, text...)]
    reasons = collections.Counter()
    stale = []
    for o, r in zip(ours, ref):
        if o is None or r is None or not isinstance(o.get("script"), str):
            cnt["malformed"] += 1
            lists["malformed"].append(("?", "unreadable line"))
            continue
        path, line = o.get("path"), o.get("line")
        fid = file_id(path)
        files.add(path)
        where = "%s:%s" % (fid, line)
        sha = hashlib.sha256(o["script"].encode("utf-8", "surrogatepass")).hexdigest()
        cnt["scripts"] += 1
        cnt["kind:%s" % o.get("kind")] += 1
        o_ok, r_ok = o.get("ok") is True, r.get("ok") is True
        cnt["ours_ok"] += o_ok
        cnt["shfmt_ok"] += r_ok
        if not r_ok:
            reasons[reason(r.get("error"))] += 1
        detail = None
        if o.get("ok") not in (True, False) or (o_ok and not valid_commands(o.get("commands"))):
            cls = "malformed"
            detail = "ok=%s commands=%.100s" % (o.get("ok"), json.dumps(o.get("commands")))
        elif r_ok and o_ok:
            a, b = o["commands"], r["commands"]
            if a == b:
                cls = "agree"
            else:
                cls = "disagree"
                i = first_diff(a, b)
                detail = "command #%d (ours %d, shfmt %d commands): ours %s | shfmt %s" % (
                    i, len(a), len(b), cmd_text(a[i] if i < len(a) else None),
                    cmd_text(b[i] if i < len(b) else None))
        elif r_ok:
            cls = "reject"
            detail = "ours: %s" % (o.get("error") or "(no message)")[:160]
        elif o_ok:
            cls = "lenient"
            detail = "shfmt: %s" % (r.get("error") or "")[:160]
        else:
            cls = "agree"
            cnt["both_reject"] += 1
        key = next((k for k in (sha, where, fid) if k in known), None)
        if cls in ("agree", "lenient"):
            cnt[cls] += 1
            if cls == "lenient":
                lists["lenient"].append((where, detail))
            if key and cls == "agree":
                stale.append(key)
        elif key:
            cnt["known"] += 1
            lists["known"].append((where, "%s (%s)" % (known[key], cls)))
        else:
            cnt[cls] += 1
            lists[cls].append((where, detail))

    pr = print
    n = cnt["scripts"]
    failed = cnt["disagree"] + cnt["reject"] + cnt["malformed"]
    passed = cnt["agree"] + cnt["lenient"]
    kinds = ", ".join("%s %d" % (k[5:], v) for k, v in sorted(cnt.items()) if k.startswith("kind:"))
    pr("RUN scripts:                          %d in %d files (%s)" % (n, len(files), kinds))
    pr("shfmt accepts:                        %d" % cnt["shfmt_ok"])
    pr("dockwright accepts:                   %d" % cnt["ours_ok"])
    pr("agree (same commands / both reject):  %d (%d both reject)" % (cnt["agree"], cnt["both_reject"]))
    pr("disagree (both accept):               %d" % cnt["disagree"])
    pr("dockwright rejects, shfmt accepts:    %d" % cnt["reject"])
    pr("dockwright more lenient (not failing): %d" % cnt["lenient"])
    pr("known differences (not failing):      %d" % cnt["known"])
    if cnt["malformed"] or bad_o or bad_r:
        pr("malformed dockwright records:         %d (unreadable lines: ours %d, shfmt %d)"
           % (cnt["malformed"], bad_o, bad_r))
    pr("agreement rate:                       %.2f%% (%d/%d)"
       % (100.0 * cnt["agree"] / n if n else 0.0, cnt["agree"], n))
    if stale:
        pr("note: %d known-difference entries now agree: %s" % (len(stale), " ".join(stale[:10])))
    if reasons:
        pr("")
        pr("shfmt rejections by reason (top 10 of %d):" % len(reasons))
        for msg, k in reasons.most_common(10):
            pr("  %5d  %s" % (k, msg))
    titles = [("disagree", "disagreements (both accept)"),
              ("reject", "dockwright rejects, shfmt accepts"),
              ("malformed", "malformed dockwright records"),
              ("lenient", "dockwright accepts, shfmt rejects (more lenient, not failing)"),
              ("known", "known differences")]
    for k, title in titles:
        items = lists.get(k)
        if not items:
            continue
        pr("")
        pr("%s (%d, first %d):" % (title, len(items), min(ns.show, len(items))))
        for where, d in items[: ns.show]:
            pr("  %s: %s" % (where, d))
    if ns.report:
        with open(ns.report, "w", encoding="utf-8") as f:
            for k, _ in titles:
                for where, d in lists.get(k, ()):
                    f.write("%s\t%s\t%s\n" % (where, k, d))
        pr("full report: %s" % ns.report)
    pr("%s: %d passed, %d failed" % (ns.label, passed, failed))
    if n == 0:
        sys.stderr.write("compare_shell: no RUN scripts in the input\n")
        return 2
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
