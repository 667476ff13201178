#!/usr/bin/env bash
# Memory errors that a crash shows only now and then: the release build under
# Valgrind's memcheck, which reports every read or write outside memory the program
# owns. A `dirent` copied whole read past readdir's buffer and crashed one run in
# five over the corpus (page boundaries move with the heap); memcheck reported it
# on every run. Two runs:
#   - `lint` and `fix --check` over a folder of 3,000 files whose names take every
#     length up to 250 bytes (directory listing, discovery, the report);
#   - `lint` in JSON over every 40th corpus file, all rules (parser, shell, model, rules).
#
# usage: scripts/check-memcheck.sh [DOCKWRIGHT_BIN] [CORPUS_DIR]
# Last line: `memcheck: N passed, M failed`.
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
cd "$REPO"
BIN=${1:-.build/release/dockwright}
CORPUS=${2:-../shared/corpus/files}
OUT=.build/memcheck
[ -x "$BIN" ] || { echo "memcheck: '$BIN' not found (swift build -c release)" >&2; exit 2; }
if ! command -v valgrind >/dev/null 2>&1; then
    echo "memcheck: installing valgrind (Debian package)"
    (apt-get update -qq && apt-get install -y -qq valgrind) >/dev/null
fi
rm -rf "$OUT"
mkdir -p "$OUT/names"
for i in $(seq 1 3000); do
    # Names of every length from 1 to 250 bytes, each unique.
    length=$(( (i * 37) % 240 + 1 ))
    name="$i-$(printf '%*s' "$length" '' | tr ' ' 'n')"
    printf 'FROM alpine:3.20\nADD a /b\n' > "$OUT/names/${name:0:240}.Dockerfile"
done
find "$CORPUS" -maxdepth 1 -name '*.Dockerfile' | LC_ALL=C sort | awk 'NR % 40 == 1' > "$OUT/sample.txt"

passed=0
failed=0
# Reads and writes outside owned memory only (what crashes): the definedness checks
# also flag Swift's copies of multi-payload enums (`OptionScanner.Item`), which branch
# on a tag stored beside bytes the other case leaves unset.
run() {  # name, command...: fails on any memcheck error or an exit code past 1
    local name=$1 rc=0
    shift
    valgrind --tool=memcheck --undef-value-errors=no --error-exitcode=99 --quiet "$@" > /dev/null 2> "$OUT/$name.log" || rc=$?
    if [ "$rc" -le 1 ]; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "memcheck: $name exited $rc" >&2
        head -n 40 "$OUT/$name.log" >&2
    fi
}

run names-lint "$BIN" lint --isolated --select DL3020 --format gnu "$OUT/names"
run names-fix "$BIN" fix --isolated --check "$OUT/names"
mapfile -t sample < "$OUT/sample.txt"
run corpus-sample "$BIN" lint --isolated --format json "${sample[@]}"
echo "memcheck: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
