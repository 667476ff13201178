#!/usr/bin/env bash
# Parser throughput: dockwright vs the parse oracle (PyPI dockerfile==3.4.0,
# BuildKit's Go parser v0.12.5 behind a CPython binding).
#
# usage: scripts/bench-parse.sh [DOCKWRIGHT_BIN] [CORPUS_DIR]
#   DOCKWRIGHT_BIN  release binary (not built here), default .build/release/dockwright
#   CORPUS_DIR      default ../shared/corpus/files (relative to the repo root)
# env:
#   BENCH_REPEAT=N   passed as `bench-parse --repeat N` (default: not passed,
#                    the binary's own default applies)
#   BENCH_ORACLE=0   skip the oracle (default 1)
#   BENCH_ORACLE_REPEAT=N  oracle passes over the corpus (default 3, best kept)
#   BENCH_SIZES, BENCH_CONTINUED_SIZES, BENCH_LONGLINE_SIZES
#                    sizes in MB (10^6 bytes) for scripts/gen-bench-inputs.py
#                    (defaults 1,10,50 / 1,10 / 1); inputs are generated into
#                    .build/bench/ when missing.
# Uses the hidden subcommand `dockwright bench-parse [--repeat N] FILE...`,
# which parses each file N times in-process and prints
# `bytes=<n> files=<n> seconds=<float>` (totals over all repetitions).
# Prints a Markdown table. The oracle is timed in-process (parse_file in a
# loop) on the corpus, on big-* inputs, and on continued-* inputs up to 1 MB
# (it is quadratic there: ~10 s for 1 MB); it rejects longline-* (> 65535-byte
# line), so those rows have no oracle figure.
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
cd "$REPO"
BIN=${1:-.build/release/dockwright}
CORPUS=${2:-../shared/corpus/files}
SIZES=${BENCH_SIZES:-1,10,50}
CSIZES=${BENCH_CONTINUED_SIZES:-1,10}
LSIZES=${BENCH_LONGLINE_SIZES:-1}
ORACLE=${BENCH_ORACLE:-1}
OREP=${BENCH_ORACLE_REPEAT:-3}

[ -x "$BIN" ] || { echo "bench-parse: '$BIN' not found or not executable (swift build -c release)" >&2; exit 2; }
[ -d "$CORPUS" ] || { echo "bench-parse: corpus dir '$CORPUS' not found" >&2; exit 2; }

# shellcheck source=lib/venv.sh
. scripts/lib/venv.sh
dw_venv_ensure || exit 2

"$DW_PY" scripts/gen-bench-inputs.py --corpus "$CORPUS" --out-dir .build/bench \
    --sizes "$SIZES" --continued-sizes "$CSIZES" --long-line-sizes "$LSIZES" >/dev/null

name() { # prefix size -> file name, as gen-bench-inputs.py does
    "$DW_PY" -c 'import sys; print("%s-%smb.Dockerfile" % (sys.argv[1], ("%g" % float(sys.argv[2])).replace(".", "p")))' "$1" "$2"
}

REPEAT_ARGS=()
[ -n "${BENCH_REPEAT:-}" ] && REPEAT_ARGS=(--repeat "$BENCH_REPEAT")

# run_dw LABEL FILE... -> one TSV row: label bytes files seconds
run_dw() {
    local label=$1 out
    shift
    if ! out=$("$BIN" bench-parse ${REPEAT_ARGS[@]+"${REPEAT_ARGS[@]}"} "$@" 2>&1); then
        # a parse error (e.g. longline-*) may give a non-zero exit; keep the timing if printed
        :
    fi
    local line
    line=$(printf '%s\n' "$out" | grep -E 'bytes=[0-9]+ +files=[0-9]+ +seconds=[0-9.eE+-]+' | tail -n 1 || true)
    if [ -z "$line" ]; then
        echo "bench-parse: no 'bytes= files= seconds=' line from $BIN bench-parse for $label:" >&2
        printf '%s\n' "$out" | head -5 >&2
        printf '%s\t-\t-\t-\t%d\n' "$label" "$#"
        return
    fi
    printf '%s\n' "$line" | sed -E "s/.*bytes=([0-9]+) +files=([0-9]+) +seconds=([0-9.eE+-]+).*/$label\t\1\t\2\t\3\t$#/"
}

# run_oracle LABEL FILE... -> same row shape; best of $OREP passes (1 for big inputs)
run_oracle() {
    local label=$1 reps=$2
    shift 2
    "$DW_PY" - "$label" "$reps" "$@" <<'PY'
import os, sys, time
import dockerfile
label, reps, files = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
size = sum(os.path.getsize(f) for f in files)
best = None
for _ in range(reps):
    t = time.perf_counter()
    for f in files:
        try:
            dockerfile.parse_file(f)
        except dockerfile.GoParseError:
            pass
    dt = time.perf_counter() - t
    best = dt if best is None or dt < best else best
print("%s\t%d\t%d\t%.6f\t%d" % (label, size, len(files), best, len(files)))
PY
}

mapfile -t FILES < <(find "$CORPUS" -maxdepth 1 -type f -name '*.Dockerfile' | LC_ALL=C sort)
[ "${#FILES[@]}" -gt 0 ] || { echo "bench-parse: no *.Dockerfile in $CORPUS" >&2; exit 2; }

DW_ROWS=$(mktemp); OR_ROWS=$(mktemp)
trap 'rm -f "$DW_ROWS" "$OR_ROWS"' EXIT

run_dw corpus "${FILES[@]}" >> "$DW_ROWS"
[ "$ORACLE" = 1 ] && run_oracle corpus "$OREP" "${FILES[@]}" >> "$OR_ROWS"
IFS=, read -r -a arr <<< "$SIZES"
for s in "${arr[@]}"; do
    f=.build/bench/$(name big "$s")
    run_dw "big-${s}MB" "$f" >> "$DW_ROWS"
    [ "$ORACLE" = 1 ] && run_oracle "big-${s}MB" 1 "$f" >> "$OR_ROWS"
done
IFS=, read -r -a arr <<< "$CSIZES"
for s in "${arr[@]}"; do
    f=.build/bench/$(name continued "$s")
    run_dw "continued-${s}MB" "$f" >> "$DW_ROWS"
    if [ "$ORACLE" = 1 ] && awk -v s="$s" 'BEGIN { exit !(s <= 1) }'; then
        run_oracle "continued-${s}MB" 1 "$f" >> "$OR_ROWS"
    fi
done
IFS=, read -r -a arr <<< "$LSIZES"
for s in "${arr[@]}"; do
    run_dw "longline-${s}MB" ".build/bench/$(name longline "$s")" >> "$DW_ROWS"
done

"$DW_PY" - "$DW_ROWS" "$OR_ROWS" <<'PY'
import sys
def rows(p):
    out = {}
    for line in open(p):
        c = line.rstrip("\n").split("\t")
        if len(c) == 5:
            out[c[0]] = c[1:]
    return out
def num(x):
    try:
        return float(x)
    except ValueError:
        return None
def per_pass(r):
    """(MB of input, input files, seconds per pass, MB/s, files/s) from a row."""
    b, n, s, inputs = (num(x) for x in r)
    if not (b and n and s):
        return None, inputs, None, None, None
    passes = n / inputs if inputs else 1
    return b / passes / 1e6, inputs, s / passes, b / 1e6 / s, n / s
dw, orc = rows(sys.argv[1]), rows(sys.argv[2])
f = lambda v, fmt: (fmt % v) if v is not None else "—"
print("| input | MB | files | seconds | MB/s | files/s | oracle s | oracle MB/s | speed-up |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
for label, r in dw.items():
    mb, inputs, sec, mbps, fps = per_pass(r)
    omb, _, osec, ombps, _ = per_pass(orc[label]) if label in orc else (None,) * 5
    if mb is None:
        mb = omb
    ratio = mbps / ombps if mbps and ombps else None
    print("| %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
        label, f(mb, "%.2f"), f(inputs, "%d"), f(sec, "%.3f"), f(mbps, "%.1f"),
        f(fps if label == "corpus" else None, "%.0f"), f(osec, "%.3f"), f(ombps, "%.1f"),
        f(ratio, "%.1f×")))
print()
print("MB = 10^6 bytes; seconds = one pass over the input. dockwright: `bench-parse`")
print("totals over its repetitions; oracle: best of its passes, parse_file in a Python loop")
print("(includes file reads and building Python objects). Linear scaling shows as a flat")
print("MB/s across big-* and continued-*.")
PY
