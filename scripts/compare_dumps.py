#!/usr/bin/env python3
"""Compare two batch dumps (JSON lines {"path", "ok", "instructions", ...}):
the oracle's (expected) and dockwright's (actual).

Usage:
  compare_dumps.py --expected ORACLE.jsonl --actual OURS.jsonl
                   [--known scripts/known-oracle-differences.tsv]
                   [--label corpus-dump] [--show 20] [--report FILE]
                   [--require-accept]

A file passes when (oracle accepts and our instructions equal the oracle's)
or (oracle rejects and we report an error too). Equality is strict JSON
equality (true != 1, key sets must match exactly; key order and whitespace
do not matter). Files listed in --known (TSV: corpus id <TAB> reason; header
row and '#' lines ignored) that do not pass are counted as known differences,
neither passed nor failed. --require-accept: only the oracle-accepted rule
applies (a file the oracle rejects fails). Last line printed:
`LABEL: N passed, M failed`; exit status 1 if M > 0.
"""
import argparse
import json
import os
import sys

FIELDS = ["cmd", "sub_cmd", "json", "original", "start_line", "end_line",
          "flags", "value", "heredocs"]


def file_id(path):
    base = os.path.basename(path)
    for suf in (".Dockerfile", ".dockerfile"):
        if base.endswith(suf):
            return base[: -len(suf)]
    return base


def load_jsonl(path, what):
    recs = {}
    bad = 0
    with open(path, "r", encoding="utf-8", errors="replace") as f:
        for n, line in enumerate(f, 1):
            line = line.strip()
            if not line:
                continue
            try:
                obj = json.loads(line)
                p = obj["path"]
            except (ValueError, KeyError, TypeError) as e:
                bad += 1
                if bad <= 3:
                    sys.stderr.write("%s:%d: unreadable %s batch line (%s): %.120s\n"
                                     % (path, n, what, e, line))
                continue
            recs[p] = obj
    return recs, bad


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
            if n == 1 and cols[0].strip().lower() in ("id", "corpus id", "corpus_id"):
                continue
            known[cols[0].strip()] = cols[1].strip() if len(cols) > 1 else ""
    return known


def strict_eq(a, b):
    if type(a) is not type(b):
        # ints that are JSON numbers: 3 vs 3.0 are different on purpose
        return False
    if isinstance(a, list):
        return len(a) == len(b) and all(strict_eq(x, y) for x, y in zip(a, b))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(strict_eq(a[k], b[k]) for k in a)
    return a == b


def short(v, other=None, width=70):
    """Compact JSON rendering; for strings, a window around the first difference."""
    if isinstance(v, str) and isinstance(other, str) and len(v) > width:
        i = 0
        while i < min(len(v), len(other)) and v[i] == other[i]:
            i += 1
        lo = max(0, i - width // 3)
        hi = lo + width
        s = json.dumps(v[lo:hi], ensure_ascii=False)
        return "%s%s%s (len %d, differs at %d)" % ("…" if lo else "", s,
                                                   "…" if hi < len(v) else "", len(v), i)
    s = json.dumps(v, ensure_ascii=False, sort_keys=True)
    if len(s) > width * 2:
        s = s[: width * 2] + "…(%d chars)" % len(s)
    return s


def instr_diffs(exp, act, limit):
    """List of human-readable field-level differences."""
    out = []
    if not isinstance(act, list):
        return ["instructions: expected a list, got %s" % short(act)]
    if len(exp) != len(act):
        out.append("instruction count: expected %d, got %d" % (len(exp), len(act)))
    for i, (e, a) in enumerate(zip(exp, act)):
        if strict_eq(e, a):
            continue
        where = "#%d (%s line %s)" % (i, e.get("cmd"), e.get("start_line"))
        if not isinstance(a, dict):
            out.append("%s: got non-object %s" % (where, short(a)))
        else:
            for k in sorted(set(a) - set(e)):
                out.append("%s: unexpected key %r" % (where, k))
            keys = [k for k in FIELDS if k in e] + sorted(set(e) - set(FIELDS))
            for k in keys:
                if k not in a:
                    out.append("%s %s: missing" % (where, k))
                elif not strict_eq(e[k], a[k]):
                    ev, av = e[k], a[k]
                    if isinstance(ev, list) and isinstance(av, list) and len(ev) == len(av):
                        for j, (x, y) in enumerate(zip(ev, av)):
                            if not strict_eq(x, y):
                                out.append("%s %s[%d]: expected %s got %s"
                                           % (where, k, j, short(x, y), short(y, x)))
                                break
                    else:
                        out.append("%s %s: expected %s got %s"
                                   % (where, k, short(ev, av), short(av, ev)))
        if len(out) >= limit:
            break
    if len(exp) != len(act) and len(out) < limit:
        i = min(len(exp), len(act))
        extra = exp[i] if len(exp) > len(act) else act[i]
        out.append("first %s instruction #%d: %s" % (
            "missing" if len(exp) > len(act) else "extra", i, short(extra)))
    return out[:limit]


def err_text(rec):
    for k in ("error", "errors", "diagnostics"):
        if k in rec:
            v = rec[k]
            if isinstance(v, list):
                v = "; ".join(str(x) for x in v[:3])
            return str(v)
    return "(no message)"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--expected", required=True)
    ap.add_argument("--actual", required=True)
    ap.add_argument("--known")
    ap.add_argument("--label", default="corpus-dump")
    ap.add_argument("--show", type=int, default=20)
    ap.add_argument("--diffs-per-file", type=int, default=4)
    ap.add_argument("--report", help="write every mismatch (not just --show) here")
    ap.add_argument("--require-accept", action="store_true")
    ns = ap.parse_args()

    exp, bad_e = load_jsonl(ns.expected, "oracle")
    act, bad_a = load_jsonl(ns.actual, "dockwright")
    act_by_id = {}
    for p, r in act.items():
        act_by_id.setdefault(file_id(p), r)
    known = load_known(ns.known)

    n = len(exp)
    oracle_ok = sum(1 for r in exp.values() if r.get("ok") is True)
    ours_ok = 0
    exact = 0
    we_reject_oracle_accepts = []
    we_accept_oracle_rejects = []
    missing = []
    mismatches = []  # (id, [diff lines])
    known_hit, known_stale = [], []
    passed = failed = 0

    for p in sorted(exp, key=file_id):
        e = exp[p]
        fid = file_id(p)
        a = act.get(p) or act_by_id.get(fid)
        if a is None:
            ok_pass = False
            missing.append(fid)
            detail = None
        else:
            a_ok = a.get("ok") is True
            ours_ok += a_ok
            if e.get("ok") is True:
                if not a_ok:
                    ok_pass = False
                    we_reject_oracle_accepts.append((fid, err_text(a)))
                    detail = None
                else:
                    diffs = instr_diffs(e.get("instructions", []), a.get("instructions"),
                                        ns.diffs_per_file)
                    ok_pass = not diffs
                    exact += ok_pass
                    detail = diffs or None
            else:
                if a_ok:
                    ok_pass = False
                    we_accept_oracle_rejects.append((fid, err_text(e)))
                else:
                    ok_pass = not ns.require_accept
                detail = None
        if ok_pass:
            passed += 1
            if fid in known:
                known_stale.append(fid)
        elif fid in known:
            known_hit.append((fid, known[fid]))
        else:
            failed += 1
            if detail:
                mismatches.append((fid, detail))

    known_ids = {k for k, _ in known_hit}
    pr = print
    pr("files:                                %d" % n)
    pr("oracle accepts:                       %d" % oracle_ok)
    pr("dockwright accepts:                   %d" % ours_ok)
    pr("exact matches (of oracle-accepted):   %d/%d" % (exact, oracle_ok))
    pr("dockwright rejects, oracle accepts:   %d" % len(we_reject_oracle_accepts))
    pr("dockwright accepts, oracle rejects:   %d" % len(we_accept_oracle_rejects))
    if missing or bad_a or bad_e:
        pr("missing from dockwright output:       %d (unreadable lines: ours %d, oracle %d)"
           % (len(missing), bad_a, bad_e))
    pr("known differences (not failing):      %d" % len(known_hit))
    if known_stale:
        pr("note: %d known-difference entries now agree with the oracle: %s"
           % (len(known_stale), " ".join(known_stale[:10])))

    def section(title, items, fmt):
        items = [x for x in items if (x[0] if isinstance(x, tuple) else x) not in known_ids]
        if not items:
            return
        pr("")
        pr("%s (%d, first %d):" % (title, len(items), min(ns.show, len(items))))
        for x in items[: ns.show]:
            pr(fmt(x))

    section("dockwright rejects, oracle accepts", we_reject_oracle_accepts,
            lambda x: "  %s: %s" % (x[0], x[1][:160]))
    section("dockwright accepts, oracle rejects", we_accept_oracle_rejects,
            lambda x: "  %s: oracle: %s" % (x[0], x[1][:160]))
    section("missing from dockwright output", missing, lambda x: "  %s" % x)
    if mismatches:
        pr("")
        pr("instruction mismatches (%d, first %d):" % (len(mismatches), min(ns.show, len(mismatches))))
        for fid, diffs in mismatches[: ns.show]:
            pr("  %s:" % fid)
            for d in diffs:
                pr("    %s" % d)
    if ns.report:
        with open(ns.report, "w", encoding="utf-8") as f:
            for fid, msg in we_reject_oracle_accepts:
                f.write("%s\treject-but-oracle-accepts\t%s\n" % (fid, msg))
            for fid, msg in we_accept_oracle_rejects:
                f.write("%s\taccept-but-oracle-rejects\t%s\n" % (fid, msg))
            for fid in missing:
                f.write("%s\tmissing\t\n" % fid)
            for fid, diffs in mismatches:
                for d in diffs:
                    f.write("%s\tmismatch\t%s\n" % (fid, d))
            for fid, why in known_hit:
                f.write("%s\tknown-difference\t%s\n" % (fid, why))
        pr("full report: %s" % ns.report)
    pr("%s: %d passed, %d failed" % (ns.label, passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
