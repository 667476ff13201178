#!/usr/bin/env bash
# Fuzz dockwright with the toolchain's libFuzzer: every input goes through parse →
# print (must equal the input) → lint with every rule → safe and unsafe fix through
# the CLI's fix loop → re-parse (must parse if the input did) → fix again (must not
# change). The properties are DockwrightFuzzing.FuzzProperties; the entry point is
# scripts/fuzz/FuzzEntry.swift.
#
# usage: scripts/fuzz.sh [SECONDS] [CORPUS_DIR]
#   SECONDS     how long each libFuzzer run lasts, loading the seeds included (default 60)
#   CORPUS_DIR  seed Dockerfiles (default ../shared/corpus/files)
# env:
#   FUZZ_SEEDS=N     corpus files taken as seeds, an even sample by name (default 400;
#                    all 4,862 take two minutes to load under ASan before any mutation)
#   FUZZ_MAX_LEN=N   longest input libFuzzer makes, in bytes (default 4096)
#   FUZZ_RUNS=N      each run is a fresh libFuzzer process with its own random seed;
#                    run N of them, SECONDS each, to find more than one crash (default 1)
#
# Builds the library modules with `-sanitize=fuzzer,address` in their own scratch
# folder (.build/fuzz), so the normal build is untouched. Inputs that crash, hang
# or exhaust memory are copied to Tests/DockwrightFuzzingTests/FuzzRegressions/,
# where FuzzRegressionTests replays them. Last line: `fuzz: N passed, M failed`,
# N the inputs executed without a broken property, M the inputs saved.
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
cd "$REPO"
SECONDS_TO_RUN=${1:-60}
CORPUS=${2:-../shared/corpus/files}
SEEDS=${FUZZ_SEEDS:-400}
MAX_LEN=${FUZZ_MAX_LEN:-4096}
RUNS=${FUZZ_RUNS:-1}
SCRATCH=.build/fuzz
BUILD=$SCRATCH/release
BIN=$BUILD/dockwright-fuzz
REGRESSIONS=Tests/DockwrightFuzzingTests/FuzzRegressions

echo "fuzz: building with -sanitize=fuzzer,address"
# A fresh clone has no .build yet, and the build log is written beside the scratch folder.
mkdir -p "$SCRATCH"
if ! swift build --scratch-path "$SCRATCH" -c release --target DockwrightFuzzing \
    -Xswiftc -sanitize=fuzzer,address > "$SCRATCH.build.log" 2>&1; then
    tail -n 30 "$SCRATCH.build.log" >&2
    echo "fuzz: 0 passed, 1 failed"
    exit 2
fi
# Link the entry point with the instrumented objects; libFuzzer brings `main`.
objects=()
for module in DockwrightSyntax DockwrightShell DockwrightModel DockwrightCore DockwrightRules DockwrightFuzzing; do
    objects+=("$BUILD/$module.build/"*.o)
done
swiftc -O -sanitize=fuzzer,address -parse-as-library -use-ld=lld -I "$BUILD/Modules" \
    scripts/fuzz/FuzzEntry.swift "${objects[@]}" -o "$BIN"

# Seeds live under .build, never in the repository: a sample of the corpus plus
# every saved regression. The working corpus (what libFuzzer finds new) is kept
# between local runs, so each run starts where the last one stopped.
rm -rf "$SCRATCH/seeds" "$SCRATCH/artifacts"
mkdir -p "$SCRATCH/seeds" "$SCRATCH/artifacts" "$SCRATCH/work"
if [ -d "$CORPUS" ]; then
    find "$CORPUS" -maxdepth 1 -type f -name '*.Dockerfile' | LC_ALL=C sort \
        | awk -v want="$SEEDS" '{ all[NR] = $0 } END { step = NR / want; if (step < 1) step = 1;
              for (i = 1; i <= NR; i += step) print all[int(i)] }' \
        | xargs -d '\n' -r cp -t "$SCRATCH/seeds"
else
    echo "fuzz: no corpus at $CORPUS; seeding with the regressions only" >&2
fi
cp "$REGRESSIONS"/* "$SCRATCH/seeds/"
echo "fuzz: $(find "$SCRATCH/seeds" -type f | wc -l) seeds, $RUNS run(s) of ${SECONDS_TO_RUN}s, inputs up to $MAX_LEN bytes"

executed=0
for run in $(seq 1 "$RUNS"); do
    log=$SCRATCH/run-$run.log
    rc=0
    # -timeout: an input this small taking 10 s means non-linear time, a bug to keep.
    "$BIN" -max_total_time="$SECONDS_TO_RUN" -max_len="$MAX_LEN" -rss_limit_mb=2048 -timeout=10 \
        -print_final_stats=1 -artifact_prefix="$SCRATCH/artifacts/" \
        "$SCRATCH/work" "$SCRATCH/seeds" > "$log" 2>&1 || rc=$?
    units=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    # A crash ends the process before the final stats: take its last progress line.
    [ -n "$units" ] || units=$(sed -n 's/^#\([0-9]*\).*/\1/p' "$log" | tail -n 1)
    executed=$((executed + ${units:-0}))
    grep -E '^(Done|INFO: seed corpus)' "$log" | sed "s/^/fuzz: run $run: /" || true
    if [ "$rc" != 0 ]; then
        echo "fuzz: run $run: libFuzzer exited $rc; the report:" >&2
        grep -E -A 14 'fuzz property broken|Program crashed|ERROR: libFuzzer|ERROR: AddressSanitizer' "$log" \
            | head -n 40 >&2 || tail -n 40 "$log" >&2
    fi
    [ "$rc" = 0 ] || [ -n "$(ls -A "$SCRATCH/artifacts")" ] || { echo "fuzz: $executed passed, 1 failed"; exit 1; }
done

failed=0
for artifact in "$SCRATCH/artifacts"/*; do
    [ -e "$artifact" ] || continue
    cp "$artifact" "$REGRESSIONS/"
    echo "fuzz: saved $REGRESSIONS/$(basename "$artifact")"
    failed=$((failed + 1))
done
echo "fuzz: $executed executions in $((RUNS * SECONDS_TO_RUN)) s"
echo "fuzz: $((executed - failed)) passed, $failed failed"
[ "$failed" = 0 ]
