#!/usr/bin/env bash
# Scale of the release build: time and peak memory of `dockwright lint` and
# `dockwright fix` on 1, 10 and 100 MB Dockerfiles and on 100,000 stages, the
# memory of linting many files at once, which must follow the largest file, not
# the sum of all of them, and the linearity of every input shape: each shape at
# 0.5 and 4 MB, whose times must stay within 1.5 x 8 = 12 of each other, with a
# peak RSS of at most 20 bytes per input byte plus 40 MB.
#
# usage: scripts/bench-scale.sh [DOCKWRIGHT_BIN] [CORPUS_DIR]
#   DOCKWRIGHT_BIN  release binary (not built here), default .build/release/dockwright
#   CORPUS_DIR      default ../shared/corpus/files
# env:
#   SCALE_SIZES=1,10,100   sizes in MB (10^6 bytes) of the big-* inputs
#   SCALE_FILES=200        how many 1 MB files the many-files row lints at once
#   SCALE_SHAPES=stages,heredoc,env,arg,small,and-run,nesting,installs,copy-installs,workdirs,user-installs,env-grows,env-doubles,run-doubles,long-value,corpus
#                          the shapes of the linearity table (scripts/gen-scale-shapes.py;
#                          corpus = corpus files concatenated); empty skips the table
#   SCALE_TIMEOUT=600      seconds before one run counts as not finishing
# Inputs are corpus files concatenated (scripts/gen-bench-inputs.py, the files
# the parse oracle accepts), generated into .build/bench/ when missing.
# Prints a Markdown table; seconds are wall-clock, RSS is the peak resident set
# (/usr/bin/time's %M).
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
cd "$REPO"
BIN=${1:-.build/release/dockwright}
CORPUS=${2:-../shared/corpus/files}
SIZES=${SCALE_SIZES:-1,10,100}
FILES=${SCALE_FILES:-200}
SHAPES=${SCALE_SHAPES-stages,heredoc,env,arg,small,and-run,nesting,installs,copy-installs,workdirs,user-installs,env-grows,env-doubles,run-doubles,long-value,corpus}
TIMEOUT=${SCALE_TIMEOUT:-600}
OUT=.build/bench
[ -x "$BIN" ] || { echo "bench-scale: '$BIN' not found (swift build -c release)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "bench-scale: /usr/bin/time missing (apt-get install time)" >&2; exit 2; }

# shellcheck source=lib/venv.sh
. scripts/lib/venv.sh
dw_venv_ensure || exit 2
"$DW_PY" scripts/gen-bench-inputs.py --corpus "$CORPUS" --out-dir "$OUT" --sizes "$SIZES,1,0.5,4" \
    --continued-sizes "" --long-line-sizes "" >/dev/null
if [ ! -f "$OUT/stages-100k.Dockerfile" ]; then
    # Every stage gives every kind of finding a fix: ADD to COPY, two RUNs to merge.
    awk 'BEGIN { for (i = 0; i < 100000; i++)
        printf "FROM alpine:3.20 AS s%d\nADD a /b\nRUN echo %d\nRUN true\n", i, i }' > "$OUT/stages-100k.Dockerfile"
fi

# measure LABEL COMMAND... -> "seconds<TAB>peak RSS in MB"; the exit code is 0 or 1
# (1 = findings); a run past $TIMEOUT seconds gives "timeout<TAB>-"; anything else aborts.
measure() {
    local label=$1 stats rc=0
    shift
    stats=$(mktemp)
    /usr/bin/time -o "$stats" -f '%e %M' timeout "$TIMEOUT" "$@" > /dev/null 2> "$OUT/scale-$label.err" || rc=$?
    if [ "$rc" -eq 124 ]; then
        printf 'timeout\t-'
        rm -f "$stats"
        return
    fi
    if [ "$rc" -gt 1 ]; then
        echo "bench-scale: $label exited $rc:" >&2
        head -n 5 "$OUT/scale-$label.err" >&2
        exit 1
    fi
    # time's last line; before it, a line says when the exit code was not 0.
    tail -n 1 "$stats" | awk '{ printf "%s\t%.0f", $1, $2 / 1024 }'
    rm -f "$stats"
}

row() {  # LABEL FILE
    local label=$1 file=$2 bytes lint fix copy
    bytes=$(stat -c %s "$file")
    lint=$(measure "lint-$label" "$BIN" lint --isolated --format gnu "$file")
    copy=$OUT/scale-fix.Dockerfile
    cp "$file" "$copy"
    fix=$(measure "fix-$label" "$BIN" fix --isolated "$copy")
    rm -f "$copy"
    IFS=$'\t' read -r lint_s lint_rss <<< "$lint"
    IFS=$'\t' read -r fix_s fix_rss <<< "$fix"
    awk -v l="$label" -v b="$bytes" -v ls="$lint_s" -v lr="$lint_rss" -v fs="$fix_s" -v fr="$fix_rss" \
        'BEGIN { printf "| %s | %.1f | %.2f | %.1f | %d | %.2f | %d |\n", l, b / 1e6, ls, b / 1e6 / (ls > 0 ? ls : 0.01), lr, fs, fr }'
}

echo "| input | MB | lint s | lint MB/s | lint peak RSS MB | fix s | fix peak RSS MB |"
echo "|---|---:|---:|---:|---:|---:|---:|"
IFS=, read -r -a sizes <<< "$SIZES"
for size in "${sizes[@]}"; do
    row "big-${size}MB" "$OUT/big-${size}mb.Dockerfile"
done
row "100,000 stages" "$OUT/stages-100k.Dockerfile"

# Many files at once: the same 1 MB file under $FILES names, linted in one run.
many=$OUT/scale-many
rm -rf "$many"
mkdir -p "$many"
for index in $(seq 1 "$FILES"); do ln "$OUT/big-1mb.Dockerfile" "$many/$index.Dockerfile"; done
one=$(measure "lint-one" "$BIN" lint --isolated --format gnu "$OUT/big-1mb.Dockerfile")
all=$(measure "lint-many" "$BIN" lint --isolated --format gnu "$many")
rm -rf "$many"
IFS=$'\t' read -r one_s one_rss <<< "$one"
IFS=$'\t' read -r all_s all_rss <<< "$all"
echo
echo "| lint | files | MB | seconds | peak RSS MB |"
echo "|---|---:|---:|---:|---:|"
echo "| one 1 MB file | 1 | 1 | $one_s | $one_rss |"
echo "| $FILES such files | $FILES | $FILES | $all_s | $all_rss |"
echo
echo "MB = 10^6 bytes. Memory follows the largest file when the second table's RSS stays"
echo "near the first row's times the number of cores (files linted at once), not $FILES times it."

[ -n "$SHAPES" ] || exit 0

# Linearity: every shape at 0.5 and 4 MB (10^6 bytes), lint and fix.
shape_file() {  # SHAPE SIZE_MB -> path
    local shape=$1 size=$2 name
    if [ "$shape" = corpus ]; then
        name=${size/./p}
        echo "$OUT/big-${name}mb.Dockerfile"
        return
    fi
    name=$OUT/shape-$shape-$size.Dockerfile
    [ -f "$name" ] || python3 scripts/gen-scale-shapes.py "$shape" "$(awk -v s="$size" 'BEGIN { print s * 1e6 }')" "$name"
    echo "$name"
}

echo
echo "| shape | lint 0.5 MB s | lint 4 MB s | ratio | fix 0.5 MB s | fix 4 MB s | ratio | peak RSS 4 MB lint / fix MB | budget MB |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
IFS=, read -r -a shapes <<< "$SHAPES"
for shape in "${shapes[@]}"; do
    small=$(shape_file "$shape" 0.5)
    large=$(shape_file "$shape" 4)
    copy=$OUT/scale-fix.Dockerfile
    results=()
    for file in "$small" "$large"; do
        results+=("$(measure "lint-$shape" "$BIN" lint --isolated --format gnu "$file")")
        cp "$file" "$copy"
        results+=("$(measure "fix-$shape" "$BIN" fix --isolated "$copy")")
        rm -f "$copy"
    done
    IFS=$'\t' read -r lint_small _ <<< "${results[0]}"
    IFS=$'\t' read -r fix_small _ <<< "${results[1]}"
    IFS=$'\t' read -r lint_large lint_rss <<< "${results[2]}"
    IFS=$'\t' read -r fix_large fix_rss <<< "${results[3]}"
    bytes=$(stat -c %s "$large")
    awk -v s="$shape" -v ls="$lint_small" -v ll="$lint_large" -v fs="$fix_small" -v fl="$fix_large" \
        -v lr="$lint_rss" -v fr="$fix_rss" -v b="$bytes" '
        function ratio(a, b) { return (a ~ /^[0-9.]+$/ && b ~ /^[0-9.]+$/) ? sprintf("%.1f", b / (a > 0.01 ? a : 0.01)) : "-" }
        BEGIN { printf "| %s | %s | %s | %s | %s | %s | %s | %s / %s | %d |\n", s, ls, ll, ratio(ls, ll), fs, fl, ratio(fs, fl), lr, fr, b * 20 / 1e6 + 40 }'
done
echo
echo "ratio = time at 4 MB / time at 0.5 MB; linear is 8, the bar 12. budget = 20 bytes per input"
echo "byte + 40 MB, for the 4 MB input."
