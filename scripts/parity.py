#!/usr/bin/env python3
"""Compare dockwright's DL findings with hadolint 2.15.1's over a corpus.

usage: parity.py --hadolint EXE --dockwright BIN [options] < paths
       parity.py --selftest

Reads Dockerfile paths (one per line) on stdin.

hadolint runs with an empty config (`--config` pointing at `{}`) and every
HADOLINT_* variable removed, in batches (`--no-fail --format json`, several
files per call, `--jobs` calls at a time); a batch that fails is retried file
by file. Its findings are cached per file in CACHE/findings.jsonl, keyed by
hadolint's version + SHA-256 of the file's bytes, so a second run only lints
files it has not seen.

dockwright runs as `lint --format json --isolated --exit-zero --select DL
--ignore DL3057,DL1001`: no configuration, every DL rule on, as hadolint
enables them by default (DL3057 and DL1001 are off by default in hadolint).

Compared: DLxxxx codes only (SC*, DW* dropped), minus DL1000 (a parse error:
files hadolint cannot parse, or that BuildKit's parser rejects, are left out
and counted), DL3057 and DL1001 (off by default) and the label-schema rules
DL3049-DL3056, DL3058 (they need a label-schema config).

Matching: hadolint reports an instruction's first line; dockwright reports the
offending word, possibly on a continuation line or in a heredoc body. Both
sides' lines are mapped to the first line of the instruction whose span
(from `dockwright dump --batch`: start_line..end_line, heredoc bodies
included) contains them; a line outside every instruction is kept. Findings
are then matched as multisets of (file, code, instruction line), where
dockwright's findings on one instruction count at most as many times as
hadolint's (at least once): dockwright reports each offending word (every
unpinned package, say), hadolint the instruction once.

Known differences (--known TSV): rows `CODE<TAB>CORPUS-ID<TAB>LINE<TAB>CATEGORY
[<TAB>NOTE]`; `#` starts a comment line. A hadolint finding we do not report
whose (code, id, instruction line) is listed is "explained" by CATEGORY (a
slug the rule's rationale explains); CATEGORY `?` means not yet categorised
(counts as unexplained).

Checks: overall coverage (matched / hadolint findings) >= --min-coverage, and
for each DL code in the table zero unexplained misses. Prints a table per code,
`parity totals: ...` and `parity: N passed, M failed`. Details go to OUT:
only-hadolint-DLxxxx.tsv and only-dockwright-DLxxxx.tsv (id, line, status,
message, the instruction's first line), table.txt.
Exit 0 all checks pass, 1 a check fails, 2 setup error.
"""
import argparse
import bisect
import collections
import concurrent.futures
import glob
import json
import os
import re
import subprocess
import sys
import tempfile
import time

from hadolint_findings import SetupError, hadolint_findings

OFF_BY_DEFAULT = {"DL3057", "DL1001"}
LABEL_SCHEMA = {"DL3049", "DL3050", "DL3051", "DL3052", "DL3053", "DL3054",
                "DL3055", "DL3056", "DL3058"}
PARSE_ERROR = "DL1000"
DL_CODE = re.compile(r"^DL\d{4}$")
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
DOCKWRIGHT_BATCH = 400


def corpus_id(path):
    base = os.path.basename(path)
    return base[:-len(".Dockerfile")] if base.endswith(".Dockerfile") else base


def compared_code(code, codes=None):
    """Whether findings of this code take part in the table."""
    if not DL_CODE.match(code or "") or code == PARSE_ERROR:
        return False
    if code in OFF_BY_DEFAULT or code in LABEL_SCHEMA:
        return False
    return codes is None or code in codes


# -------------------------------------------------------------- dockwright

def dockwright_spans(bin_, paths):
    """{path: (starts, ends)} from `dump --batch`, or None where BuildKit's parser rejects the file."""
    p = subprocess.run([bin_, "dump", "--batch"], input=("\n".join(paths) + "\n").encode(),
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if p.returncode >= 2:
        raise SetupError("%s dump --batch exited %d: %s" % (bin_, p.returncode, p.stderr.decode()[:500]))
    res = {}
    for line in p.stdout.decode("utf-8", "replace").splitlines():
        if not line.strip():
            continue
        o = json.loads(line)
        if not o.get("ok"):
            res[o["path"]] = None
            continue
        spans = sorted((i["start_line"], i["end_line"]) for i in o["instructions"])
        res[o["path"]] = ([s for s, _ in spans], [e for _, e in spans])
    missing = [q for q in paths if q not in res]
    if missing:
        raise SetupError("dump --batch printed nothing for %d files (first: %s)" % (len(missing), missing[0]))
    return res


def dockwright_findings(bin_, paths, jobs):
    args = [bin_, "lint", "--format", "json", "--isolated", "--exit-zero",
            "--select", "DL", "--ignore", ",".join(sorted(OFF_BY_DEFAULT))]
    batches = [paths[i:i + DOCKWRIGHT_BATCH] for i in range(0, len(paths), DOCKWRIGHT_BATCH)]

    def work(batch):
        p = subprocess.run(args + ["--"] + batch, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        if p.returncode != 0:
            raise SetupError("dockwright lint exited %d: %s" % (p.returncode, p.stderr.decode()[:500]))
        txt = p.stdout.decode("utf-8", "replace").strip()
        return json.loads(txt) if txt else []

    res = {q: [] for q in paths}
    with concurrent.futures.ThreadPoolExecutor(max(1, jobs)) as ex:
        for fs in ex.map(work, batches):
            for f in fs:
                if f.get("file") not in res:
                    raise SetupError("dockwright reported an unknown file %r" % f.get("file"))
                res[f["file"]].append({k: f.get(k) for k in ("code", "line", "column", "level", "message")})
    return res


# ----------------------------------------------------------------- compare

def instruction_line(line, spans):
    """The first line of the instruction whose span holds `line` (else `line`)."""
    if spans is None or not isinstance(line, int):
        return line
    starts, ends = spans
    i = bisect.bisect_right(starts, line) - 1
    if i >= 0 and line <= ends[i]:
        return starts[i]
    return line


def load_known(path):
    """{(code, id, line): category}; raises SetupError on a malformed row."""
    known = {}
    if not path or not os.path.exists(path):
        return known
    with open(path, encoding="utf-8") as f:
        for n, raw in enumerate(f, 1):
            line = raw.rstrip("\r\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            cols = line.split("\t")
            if len(cols) < 4 or not DL_CODE.match(cols[0]) or not cols[1] or not cols[2].isdigit() \
                    or not (cols[3] == "?" or SLUG.match(cols[3])):
                raise SetupError("%s:%d: expected CODE<TAB>CORPUS-ID<TAB>LINE<TAB>category-slug[<TAB>note], got %r"
                                 % (path, n, line))
            key = (cols[0], cols[1], int(cols[2]))
            if key in known:
                raise SetupError("%s:%d: duplicate row for %s %s %s" % ((path, n) + key))
            known[key] = cols[3]
    return known


def compare(hl, dw, spans, known, codes=None):
    """Match findings. hl/dw: {path: [finding]}; spans: {path: (starts, ends)}.

    Returns {code: {"both": n, "hl": [miss], "dw": [extra]}} where a miss or
    extra is a dict(path, id, line, message, category) (category only on misses:
    the known row's slug, or None).
    """
    table = collections.defaultdict(lambda: {"both": 0, "hl": [], "dw": []})
    for path in hl:
        sp = spans.get(path)
        sides = []
        for fs in (hl[path], dw.get(path, [])):
            c = collections.Counter()
            msg = {}
            for f in fs:
                if not compared_code(f["code"], codes):
                    continue
                k = (f["code"], instruction_line(f["line"], sp))
                c[k] += 1
                msg.setdefault(k, f.get("message") or "")
            sides.append((c, msg))
        (ch, mh), (cd, md) = sides
        for k in cd:
            cd[k] = min(cd[k], max(ch[k], 1))
        cid = corpus_id(path)
        for k in set(ch) | set(cd):
            code, line = k
            row = table[code]
            row["both"] += min(ch[k], cd[k])
            for _ in range(ch[k] - cd[k]):
                cat = known.get((code, cid, line))
                row["hl"].append({"path": path, "id": cid, "line": line, "message": mh[k],
                                  "category": None if cat in (None, "?") else cat})
            for _ in range(cd[k] - ch[k]):
                row["dw"].append({"path": path, "id": cid, "line": line, "message": md[k]})
    return dict(table)


def summarise(table, min_coverage):
    """(rows, totals, checks) where checks is [(name, ok)]."""
    rows = []
    t = collections.Counter()
    checks = []
    for code in sorted(table):
        r = table[code]
        h = r["both"] + len(r["hl"])
        expl = sum(1 for m in r["hl"] if m["category"])
        unexpl = len(r["hl"]) - expl
        rows.append((code, h, r["both"], len(r["hl"]), expl, unexpl, len(r["dw"])))
        t.update(hadolint=h, both=r["both"], hl=len(r["hl"]), expl=expl, unexpl=unexpl, dw=len(r["dw"]))
        checks.append(("%s: no unexplained misses" % code, unexpl == 0))
    cov = 100.0 * t["both"] / t["hadolint"] if t["hadolint"] else 100.0
    checks.insert(0, ("overall coverage %.2f%% >= %g%%" % (cov, min_coverage), cov >= min_coverage))
    return rows, t, cov, checks


def pct(a, b):
    return "%.1f%%" % (100.0 * a / b) if b else "-"


def format_table(rows, t, cov):
    head = ("code", "hadolint", "both", "only-hl", "explained", "unexpl", "only-dw", "ours/hl")
    lines = ["%-8s %9s %9s %9s %9s %9s %9s %8s" % head]
    for code, h, both, mh, expl, unexpl, md in rows:
        lines.append("%-8s %9d %9d %9d %9d %9d %9d %8s" % (code, h, both, mh, expl, unexpl, md, pct(both, h)))
    lines.append("%-8s %9d %9d %9d %9d %9d %9d %8s" % ("total", t["hadolint"], t["both"], t["hl"], t["expl"],
                                                       t["unexpl"], t["dw"], pct(t["both"], t["hadolint"])))
    lines.append("parity totals: hadolint=%d matched=%d (%.1f%%) only-hadolint=%d (explained %d) only-dockwright=%d"
                 % (t["hadolint"], t["both"], cov, t["hl"], t["expl"], t["dw"]))
    return lines


def first_line_of(path, line, cache):
    if path not in cache:
        try:
            with open(path, "rb") as f:
                cache[path] = f.read().decode("utf-8", "replace").split("\n")
        except OSError:
            cache[path] = []
    lines = cache[path]
    if isinstance(line, int) and 1 <= line <= len(lines):
        return lines[line - 1].rstrip("\r").strip()[:160]
    return ""


def clean(s):
    return (s or "").replace("\t", " ").replace("\n", " ").replace("\r", " ")


def write_details(out_dir, table):
    os.makedirs(out_dir, exist_ok=True)
    for old in glob.glob(os.path.join(out_dir, "only-*-DL*.tsv")):
        os.unlink(old)
    texts = {}
    for code, r in table.items():
        for side, items in (("hadolint", r["hl"]), ("dockwright", r["dw"])):
            if not items:
                continue
            with open(os.path.join(out_dir, "only-%s-%s.tsv" % (side, code)), "w", encoding="utf-8") as f:
                f.write("id\tline\tstatus\tmessage\tinstruction\n")
                for m in sorted(items, key=lambda m: (m["id"], m["line"])):
                    status = ("explained:" + m["category"] if m["category"] else "unexplained") \
                        if side == "hadolint" else "extra"
                    f.write("%s\t%s\t%s\t%s\t%s\n" % (m["id"], m["line"], status, clean(m["message"]),
                                                      clean(first_line_of(m["path"], m["line"], texts))))


def unexplained_rows(table):
    texts = {}
    seen = set()
    rows = []
    for code in sorted(table):
        for m in sorted(table[code]["hl"], key=lambda m: (m["id"], m["line"])):
            k = (code, m["id"], m["line"])
            if m["category"] or k in seen:
                continue
            seen.add(k)
            rows.append("%s\t%s\t%s\t?\t%s" % (code, m["id"], m["line"],
                                               clean(first_line_of(m["path"], m["line"], texts))[:100]))
    return rows


def rationale_warnings(bin_, known, codes_in_run):
    """Known categories the rule's `dockwright rules CODE` text never mentions."""
    warn = []
    bycode = collections.defaultdict(set)
    for (code, _, _), cat in known.items():
        if cat != "?" and code in codes_in_run:
            bycode[code].add(cat)
    for code, cats in sorted(bycode.items()):
        p = subprocess.run([bin_, "rules", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        text = p.stdout.decode("utf-8", "replace").lower() if p.returncode == 0 else ""
        for cat in sorted(cats):
            if cat not in text and cat.replace("-", " ") not in text:
                warn.append("%s: category '%s' is not mentioned in `dockwright rules %s`" % (code, cat, code))
    return warn


# ------------------------------------------------------------------- main

def run(ns):
    paths = [l.rstrip("\r\n") for l in sys.stdin if l.strip()]
    if not paths:
        raise SetupError("no input files")
    codes = set(c.strip().upper() for c in ns.codes.split(",") if c.strip()) if ns.codes else None
    known = load_known(ns.known)
    report = sys.stderr if ns.list_unexplained else sys.stdout

    t0 = time.time()
    hl, hstats = hadolint_findings(ns.hadolint, paths, ns.cache_dir, ns.jobs)
    t1 = time.time()
    spans = dockwright_spans(ns.dockwright, paths)

    excluded = collections.Counter()
    keep = []
    for q in paths:
        if hl[q] is None:
            excluded["hadolint failed"] += 1
        elif any(f["code"] == PARSE_ERROR for f in hl[q]):
            excluded["hadolint cannot parse"] += 1
        elif spans[q] is None:
            excluded["BuildKit's parser rejects"] += 1
        else:
            keep.append(q)
    if not keep:
        raise SetupError("no file left to compare")
    dw = dockwright_findings(ns.dockwright, keep, ns.jobs)
    t2 = time.time()

    table = compare({q: hl[q] for q in keep}, dw, spans, known, codes)
    rows, totals, cov, checks = summarise(table, ns.min_coverage)

    ids = {corpus_id(q) for q in keep}
    stale = sorted(k for k, cat in known.items()
                   if k[1] in ids and (codes is None or k[0] in codes)
                   and not any(m["id"] == k[1] and m["line"] == k[2] for m in table.get(k[0], {"hl": []})["hl"]))
    warnings = rationale_warnings(ns.dockwright, known, set(table)) if ns.check_rationale else []

    lines = ["parity: hadolint %s: %d files linted, %d cached (%.1fs); dockwright dump+lint %.1fs"
             % (hstats["version"].replace("Haskell Dockerfile Linter ", ""), hstats["linted"],
                hstats["cached"], t1 - t0, t2 - t1),
             "parity: %d files compared, %d left out (%s)"
             % (len(keep), sum(excluded.values()),
                ", ".join("%s: %d" % kv for kv in sorted(excluded.items())) or "none")]
    if codes:
        lines.append("parity: codes %s" % ",".join(sorted(codes)))
    lines += format_table(rows, totals, cov)
    if ns.out:
        write_details(ns.out, table)
        with open(os.path.join(ns.out, "table.txt"), "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
        lines.append("parity: details in %s/only-{hadolint,dockwright}-DLxxxx.tsv" % ns.out)
    for k in stale:
        lines.append("parity: warning: known row %s %s %d (%s) matches no miss (stale?)" % (k + (known[k],)))
    for w in warnings:
        lines.append("parity: warning: " + w)
    for name, ok in checks:
        if not ok:
            lines.append("parity: FAIL %s" % name)
    if ns.list_unexplained:
        for r in unexplained_rows(table):
            print(r)
    npass = sum(1 for _, ok in checks if ok)
    lines.append("parity: %d passed, %d failed" % (npass, len(checks) - npass))
    report.write("\n".join(lines) + "\n")
    report.flush()
    return 0 if npass == len(checks) else 1


def selftest():
    """Matching and normalisation on synthetic findings; no hadolint, no dockwright."""
    fails = []
    count = [0]

    def check(name, got, want):
        count[0] += 1
        if got != want:
            fails.append("%s: got %r, want %r" % (name, got, want))

    # a.Dockerfile: FROM on 1, RUN 3-6 (continuations), RUN <<EOF 8-11 (heredoc), RUN 13.
    spans = {"/c/a.Dockerfile": ([1, 3, 8, 13], [1, 6, 11, 13])}
    sp = spans["/c/a.Dockerfile"]
    check("start line", instruction_line(3, sp), 3)
    check("continuation", instruction_line(5, sp), 3)
    check("heredoc body", instruction_line(10, sp), 8)
    check("comment between", instruction_line(7, sp), 7)
    check("before first", instruction_line(0, sp), 0)

    def f(code, line, msg="m"):
        return {"code": code, "line": line, "message": msg}
    hl = {"/c/a.Dockerfile": [
        f("DL3008", 3), f("DL3015", 3),   # matched by a continuation-line report
        f("DL3059", 13), f("DL3059", 13),  # twice on one instruction: one matched
        f("DL3003", 8),                   # miss, explained by a known row
        f("DL4006", 13),                  # miss, category "?" -> unexplained
        f("DL3009", 1),                   # miss, no row
        f("SC2086", 3), f("DL3057", 1), f("DL3050", 1), f("DL1001", 1),  # never compared
    ]}
    dw = {"/c/a.Dockerfile": [
        f("DL3008", 5), f("DL3008", 4), f("DL3015", 6), f("DL3059", 13),  # two words of one RUN: one finding
        f("DL3020", 9),                   # extra on a heredoc body line -> reported at 8
        f("DW001", 3), f("DL3057", 1),
    ]}
    known = {("DL3003", "a", 8): "cd-in-heredoc", ("DL4006", "a", 13): "?"}
    table = compare(hl, dw, spans, known)
    check("codes", sorted(table), ["DL3003", "DL3008", "DL3009", "DL3015", "DL3020", "DL3059", "DL4006"])
    got = {c: (r["both"], [(m["line"], m["category"]) for m in r["hl"]], [m["line"] for m in r["dw"]])
           for c, r in table.items()}
    check("DL3008", got["DL3008"], (1, [], []))
    check("DL3015", got["DL3015"], (1, [], []))
    check("DL3059 counts", got["DL3059"], (1, [(13, None)], []))
    check("DL3003 known", got["DL3003"], (0, [(8, "cd-in-heredoc")], []))
    check("DL4006 uncategorised", got["DL4006"], (0, [(13, None)], []))
    check("DL3020 extra", got["DL3020"], (0, [], [8]))
    rows, t, cov, checks = summarise(table, 95)
    check("totals", (t["hadolint"], t["both"], t["expl"], t["unexpl"], t["dw"]), (7, 3, 1, 3, 1))
    check("checks", [ok for _, ok in checks], [False, True, True, False, True, True, False, False])
    check("filter", sorted(compare(hl, dw, spans, known, {"DL3008", "DL3020"})), ["DL3008", "DL3020"])
    check("unexplained rows", [r.split("\t")[:4] for r in unexplained_rows(table)],
          [["DL3009", "a", "1", "?"], ["DL3059", "a", "13", "?"], ["DL4006", "a", "13", "?"]])

    fd, tsv = tempfile.mkstemp(suffix=".tsv")
    try:
        os.write(fd, b"# comment\nDL3003\ta\t8\tcd-in-heredoc\tnote\nDL4006\ta\t13\t?\n")
        os.close(fd)
        check("load known", load_known(tsv), known)
        for bad in (b"DL3003\ta\t8\n", b"DL3003\ta\tx\tslug\n", b"DL3003\ta\t8\tNot A Slug\n",
                    b"DL3003\ta\t8\tx\nDL3003\ta\t8\ty\n"):
            with open(tsv, "wb") as fh:
                fh.write(bad)
            try:
                load_known(tsv)
                rejected = False
            except SetupError:
                rejected = True
            check("load known rejects %r" % bad, rejected, True)
    finally:
        os.unlink(tsv)

    for m in fails:
        print("parity-selftest: FAIL " + m)
    print("parity-selftest: %d passed, %d failed" % (count[0] - len(fails), len(fails)))
    return 1 if fails else 0


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--selftest", action="store_true")
    ap.add_argument("--hadolint")
    ap.add_argument("--dockwright")
    ap.add_argument("--cache-dir", help="hadolint findings cache")
    ap.add_argument("--out", help="details directory")
    ap.add_argument("--known", help="known differences TSV")
    ap.add_argument("--codes", help="comma-separated DL codes to compare (default: all)")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--min-coverage", type=float, default=95.0)
    ap.add_argument("--list-unexplained", action="store_true",
                    help="print unexplained misses as known-differences rows (category ?) on stdout; "
                         "the report goes to stderr")
    ap.add_argument("--no-check-rationale", dest="check_rationale", action="store_false",
                    help="do not warn about categories missing from `dockwright rules CODE`")
    ns = ap.parse_args()
    if ns.selftest:
        return selftest()
    if not ns.hadolint or not ns.dockwright:
        ap.error("--hadolint and --dockwright are required")
    try:
        return run(ns)
    except SetupError as e:
        sys.stderr.write("parity: error: %s\n" % e)
        return 2


if __name__ == "__main__":
    sys.exit(main())
