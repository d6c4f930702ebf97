#!/usr/bin/env bash
# Builds the playground: a static page where nginxlint runs in the
# browser, compiled to WebAssembly (cmd/nginxlint-wasm), with the page's
# files (playground/) and Go's WebAssembly loader beside it.
#
#   scripts/playground.sh OUTDIR
#
# Serve OUTDIR with any static server (python3 -m http.server -d OUTDIR)
# and open it: the page fetches only its own files.
set -euo pipefail

usage="usage: scripts/playground.sh OUTDIR (the directory to write the page to; created when missing)"
case "${1:-}" in
  -h|--help) echo "$usage"; exit 0 ;;
  "") echo "$usage" >&2; exit 2 ;;
  -*) echo "scripts/playground.sh: unknown option $1; $usage" >&2; exit 2 ;;
esac
[ $# -eq 1 ] || { echo "scripts/playground.sh: one OUTDIR only; $usage" >&2; exit 2; }
# OUTDIR is relative to where the script is run from, not to the
# repository it builds.
mkdir -p -- "$1"
out="$(cd -- "$1" && pwd)"
cd "$(dirname "$0")/.."

GOOS=js GOARCH=wasm CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o "$out/nginxlint.wasm" ./cmd/nginxlint-wasm

# Go's loader for js/wasm: lib/wasm since Go 1.24, misc/wasm before.
goroot="$(go env GOROOT)"
loader="$goroot/lib/wasm/wasm_exec.js"
[ -f "$loader" ] || loader="$goroot/misc/wasm/wasm_exec.js"
cp "$loader" "$out/wasm_exec.js"

for f in playground/*.html playground/*.js playground/*.css; do
  cp "$f" "$out/"
done

size="$(wc -c <"$out/nginxlint.wasm")"
echo "scripts/playground.sh: built $out (nginxlint.wasm: $((size / 1024)) KiB)"
