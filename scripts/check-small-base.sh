#!/usr/bin/env bash
# DW003 tool check (issue 14) over the corpus: every rewrite of the final image's base
# to a slim or alpine variant keeps every tool the stage's RUNs call (in the smaller base
# per Sources/DockwrightRules/Support/ImageTools.swift, or installed by the rewrite).
# Runs scripts/check-small-base.py with the oracle venv's python (BuildKit's parser);
# its self test first proves the check catches rewrites that drop a tool.
#
# usage: scripts/check-small-base.sh [DOCKWRIGHT_BIN] [CORPUS_DIR]
# Last line: `small-base: N rewrites (I also install ...), M drop a tool the stage calls`;
# exit 1 when M > 0 or the self test catches nothing, 2 on setup errors.
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
cd "$REPO"
BIN=${1:-.build/release/dockwright}
CORPUS=${2:-../shared/corpus/files}
[ -x "$BIN" ] || { echo "check-small-base: '$BIN' not found or not executable" >&2; exit 2; }
# shellcheck source=lib/venv.sh
. scripts/lib/venv.sh
dw_venv_ensure || exit 2
"$DW_PY" scripts/check-small-base.py --selftest "$BIN" "$CORPUS" | tail -n 1
"$DW_PY" scripts/check-small-base.py "$BIN" "$CORPUS"
