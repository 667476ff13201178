#!/usr/bin/env bash
# A real editor against `dockwright server`: headless Neovim (Debian's package, 0.7+)
# opens a copy of an Examples/ Dockerfile, receives the diagnostics, applies a
# preferred quick fix and the source.fixAll.dockwright action, and formats on save;
# a second copy is fixed by format on save alone. Both saved files must equal what
# `dockwright fix -` prints for the original.
#
# usage: scripts/check-neovim.sh [DOCKWRIGHT_BIN] [EXAMPLE_DIR]
#   DOCKWRIGHT_BIN  default .build/release/dockwright
#   EXAMPLE_DIR     default Examples/node-web (it has several safe fixes)
# env: NVIM  the Neovim binary (default: nvim on PATH).
# Exit 0 on success, 1 on a mismatch or protocol failure, 2 on setup errors.
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
cd "$REPO"
BIN=$(realpath "${1:-.build/release/dockwright}")
EXAMPLE=${2:-Examples/node-web}
NVIM=${NVIM:-nvim}

command -v "$NVIM" >/dev/null 2>&1 || { echo "check-neovim: $NVIM not found" >&2; exit 2; }
[ -x "$BIN" ] || { echo "check-neovim: $BIN is not executable" >&2; exit 2; }

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
# The whole example folder, so the build context is the same for the server and the CLI.
mkdir -p "$WORK/a" "$WORK/b"
cp -R "$EXAMPLE"/. "$WORK/a/"
cp -R "$EXAMPLE"/. "$WORK/b/"
"$BIN" fix - --stdin-filename "$WORK/a/Dockerfile" <"$EXAMPLE/Dockerfile" >"$WORK/expected"
if cmp -s "$WORK/expected" "$EXAMPLE/Dockerfile"; then
    echo "check-neovim: $EXAMPLE/Dockerfile has no safe fixes; pick another example" >&2
    exit 2
fi

"$NVIM" --version | head -n 1
DOCKWRIGHT=$BIN DOCKERFILE_A=$WORK/a/Dockerfile DOCKERFILE_B=$WORK/b/Dockerfile EXPECTED=$WORK/expected \
    timeout 120 "$NVIM" --headless -n -i NONE -u NONE --noplugin -c "luafile scripts/check-neovim.lua" </dev/null
