#!/usr/bin/env bash
# Soak over the corpus: lint every file in every output format, and fix every file
# (safe and unsafe) twice, checking that nothing crashes (a signal or an exit code
# other than 0/1), that machine formats parse, and that fixing is idempotent.
#
# usage: scripts/soak.sh [DOCKWRIGHT_BIN] [CORPUS_DIR]
# Last line: `soak: N passed, M failed`.
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
cd "$REPO"
BIN=${1:-.build/release/dockwright}
CORPUS=${2:-../shared/corpus/files}
OUT=.build/soak
mkdir -p "$OUT"
[ -x "$BIN" ] || { echo "soak: '$BIN' not found (swift build -c release)" >&2; exit 2; }
find "$CORPUS" -maxdepth 1 -name '*.Dockerfile' | LC_ALL=C sort > "$OUT/files.txt"
files=$(wc -l < "$OUT/files.txt")

passed=0
failed=0
check() {  # name, exit code: 0 and 1 are answers; anything else (2 = I/O, >128 = signal) fails
    if [ "$2" -le 1 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "soak: $1 exited $2" >&2; fi
}

for format in text json sarif checkstyle gnu github gitlab junit; do
    rc=0
    xargs -a "$OUT/files.txt" -d '\n' "$BIN" lint --format "$format" --isolated > "$OUT/lint.$format" 2> "$OUT/lint.$format.err" || rc=$?
    # xargs reports 123 when an invocation exited 1-125, 124-127 or a signal otherwise.
    [ "$rc" = 123 ] && rc=1
    check "lint --format $format" "$rc"
done
formats_rc=0
python3 - "$OUT" <<'PY' || formats_rc=2
import json, sys, xml.dom.minidom
out = sys.argv[1]
for name in ("json", "sarif", "gitlab"):
    text = open(f"{out}/lint.{name}", encoding="utf-8").read()
    # xargs may have split the list over several invocations: one document each.
    decoder, index, documents = json.JSONDecoder(), 0, 0
    while index < len(text):
        while index < len(text) and text[index].isspace():
            index += 1
        if index == len(text):
            break
        _, index = decoder.raw_decode(text, index)
        documents += 1
    assert documents >= 1, name
for name in ("checkstyle", "junit"):
    text = open(f"{out}/lint.{name}", encoding="utf-8").read()
    for part in text.split('<?xml')[1:]:
        xml.dom.minidom.parseString('<?xml' + part)
PY
check "machine formats parse" "$formats_rc"

for mode in "" "--unsafe"; do
    rc=0
    "$BIN" fix --batch $mode < "$OUT/files.txt" > "$OUT/fix$mode.jsonl" || rc=$?
    check "fix --batch $mode" "$rc"
    # Every output fixed again must come back unchanged.
    rc=0
    python3 - "$OUT/fix$mode.jsonl" "$OUT/again$mode" "$BIN" $mode <<'PY' || rc=$?
import json, os, subprocess, sys
lines, folder, binary = sys.argv[1], sys.argv[2], sys.argv[3]
mode = sys.argv[4:]
os.makedirs(folder, exist_ok=True)
paths = []
for number, line in enumerate(open(lines, encoding="utf-8")):
    record = json.loads(line)
    if record["changed"]:
        path = os.path.join(folder, f"{number}.Dockerfile")
        open(path, "w", encoding="utf-8", newline="").write(record["output"])
        paths.append(path)
result = subprocess.run([binary, "fix", "--batch", *mode], input="\n".join(paths).encode(), capture_output=True)
if result.returncode != 0:
    sys.exit(result.returncode)
changed = [json.loads(line)["path"] for line in result.stdout.decode().splitlines() if json.loads(line)["changed"]]
if changed:
    print("soak: not idempotent:", changed[:5], file=sys.stderr)
    sys.exit(1)
PY
    check "fix $mode twice" "$((rc == 0 ? 0 : 2))"
done

echo "soak: $files files, 8 formats, safe and unsafe fixes"
echo "soak: $passed passed, $failed failed"
[ "$failed" = 0 ]
