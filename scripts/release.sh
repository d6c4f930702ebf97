#!/usr/bin/env bash
# Builds nginxlint's release binaries: Linux, macOS and Windows on amd64
# and arm64, static (CGO_ENABLED=0), with the version linked in
# (nginxlint --version) and the VCS revision recorded, plus LICENSES.txt
# (nginxlint's licence, Go's and those of the modules linked in) and
# SHA256SUMS over all of them, the file the GitHub Action (action.yml)
# checks its download against.
#
#   scripts/release.sh VERSION [OUTDIR]     (OUTDIR: dist by default)
#
# VERSION is the release tag, such as v0.1.0. Upload the files of OUTDIR
# to the GitHub release of that tag. Builds run in parallel, JOBS at a
# time (the number of cores by default). Binaries are named
# nginxlint_<version without v>_<os>_<arch>[.exe].
set -euo pipefail

usage="usage: scripts/release.sh VERSION [OUTDIR]   (VERSION: a release tag such as v0.1.0)"
version="${1:?$usage}"
if ! [[ "$version" =~ ^v[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$ ]]; then
  echo "scripts/release.sh: VERSION \"$version\" is not a release tag: write one such as v0.1.0" >&2
  exit 2
fi
out="${2:-dist}"
cd "$(dirname "$0")/.."
mkdir -p "$out"
out="$(cd "$out" && pwd)"

targets=(linux/amd64 linux/arm64 darwin/amd64 darwin/arm64 windows/amd64 windows/arm64)
jobs="${JOBS:-$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 2)}"
logs="$(mktemp -d)"
trap 'rm -rf "$logs"' EXIT

build() {
  local os="${1%/*}" arch="${1#*/}" ext=""
  [ "$os" = windows ] && ext=".exe"
  local name="nginxlint_${version#v}_${os}_${arch}${ext}"
  # -buildvcs=auto records the git revision when built from a checkout
  # (whatever GOFLAGS says); -trimpath leaves the build machine's paths out.
  CGO_ENABLED=0 GOOS="$os" GOARCH="$arch" go build -trimpath -buildvcs=auto \
    -ldflags "-s -w -X main.version=$version" -o "$out/$name" ./cmd/nginxlint
}

pids=()
names=()
for t in "${targets[@]}"; do
  while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do
    wait -n || true
  done
  build "$t" >"$logs/${t/\//_}.log" 2>&1 &
  pids+=("$!")
  names+=("$t")
done
failed=0
for i in "${!pids[@]}"; do
  if ! wait "${pids[$i]}"; then
    echo "scripts/release.sh: building ${names[$i]} failed:" >&2
    cat "$logs/${names[$i]/\//_}.log" >&2
    failed=1
  fi
done
[ "$failed" = 0 ] || exit 1

# The licences a binary carries: nginxlint's, Go's (the standard library
# and runtime are linked in), and each module go version -m lists.
{
  echo "nginxlint $version is distributed under the licence below; it links"
  echo "Go's standard library and the modules listed after it, each under its own."
  echo
  echo "==== nginxlint"
  cat LICENSE
  echo
  echo "==== Go (the standard library and runtime), $(go env GOVERSION)"
  cat "$(go env GOROOT)/LICENSE"
  go version -m "$out/nginxlint_${version#v}_linux_amd64" | awk '$1 == "dep" { print $2, $3 }' |
    while read -r mod ver; do
      dir="$(go list -m -f '{{.Dir}}' "$mod@$ver" 2>/dev/null || true)"
      [ -n "$dir" ] || dir="$(go mod download -json "$mod@$ver" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",*$/\1/p')"
      lic="$(ls "$dir" | grep -E -i -m1 '^(licen[cs]e|copying)(\..*)?$' || true)"
      if [ -z "$lic" ]; then
        echo "scripts/release.sh: no licence file in $mod@$ver ($dir)" >&2
        exit 1
      fi
      echo
      echo "==== $mod $ver"
      cat "$dir/$lic"
    done
} >"$out/LICENSES.txt"

cd "$out"
files=(nginxlint_"${version#v}"_* LICENSES.txt)
if command -v sha256sum >/dev/null 2>&1; then
  sha256sum "${files[@]}" >SHA256SUMS
else
  shasum -a 256 "${files[@]}" >SHA256SUMS
fi
echo "scripts/release.sh: built ${#targets[@]} binaries of nginxlint $version in $out:"
cat SHA256SUMS
