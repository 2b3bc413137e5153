#!/usr/bin/env bash
# Builds test/kube-harness/bin/kube-harness. Needs only `go` and the Go module
# proxy. The first build compiles k8s.io/kubernetes and KWOK (minutes on 2 cores);
# the Go build and module caches make later builds take seconds, so keep them.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

# k8s.io/kubernetes, the version go.mod requires, with one line changed (go.mod
# replaces the module with this directory). The simulated pods get loopback
# addresses, so that a process on this host can serve each pod, and
# EndpointSlice (and Endpoints) validation refuses loopback addresses: the line
# of ValidateEndpointIP that refuses them is turned off. Everything else is the
# module as downloaded (verified against go.sum), hard-linked, not copied.
ver="$(sed -n 's/^\tk8s\.io\/kubernetes \(v[0-9.]*\)$/\1/p' go.mod)" # e.g. v1.36.3
[ -n "$ver" ] || { echo "build.sh: no k8s.io/kubernetes version in go.mod" >&2; exit 1; }
patched=bin/kubernetes
if [ "$(cat "$patched/.kube-harness-version" 2>/dev/null)" != "$ver" ]; then
  # go.sum keeps the module's own hashes, which `go mod download` checks it against
  # (`go mod tidy` drops them, the module being replaced: put them back).
  grep -q "^k8s.io/kubernetes $ver h1:" go.sum || {
    echo "build.sh: go.sum has no hash of k8s.io/kubernetes $ver (go mod download k8s.io/kubernetes@$ver adds it)" >&2
    exit 1
  }
  src="$(go mod download -json "k8s.io/kubernetes@$ver" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')"
  [ -d "$src" ] || { echo "build.sh: go mod download k8s.io/kubernetes@$ver failed" >&2; exit 1; }
  if [ -d "$patched" ]; then
    find "$patched" -type d -exec chmod u+w {} + # the directories are ours; files are links
    rm -rf "$patched"
  fi
  mkdir -p bin
  cp -al "$src" "$patched" 2>/dev/null || cp -a "$src" "$patched" # links need one filesystem
  file=pkg/apis/core/validation/validation.go
  line='	if ip.IsLoopback() {'
  if [ "$(grep -cxF "$line" "$src/$file")" != 1 ]; then
    echo "build.sh: $file of k8s.io/kubernetes $ver has no single line '$line'; update the patch" >&2
    exit 1
  fi
  chmod u+w "$patched" "$(dirname "$patched/$file")"
  rm "$patched/$file" # a link into the module cache: replace it, never write through it
  sed 's/^\tif ip\.IsLoopback() {$/\tif false \&\& ip.IsLoopback() { \/\/ kube-harness: pods have loopback addresses/' \
    "$src/$file" >"$patched/$file"
  echo "$ver" >"$patched/.kube-harness-version"
fi

# Stamp the Kubernetes version into /version (it would say v0.0.0-master otherwise).
IFS=. read -r major minor _ <<<"${ver#v}"
pkg=k8s.io/component-base/version
# -mod=readonly: go.mod/go.sum are complete; a build must not rewrite them.
exec go build -mod=readonly -trimpath \
  -ldflags="-s -w -X $pkg.gitVersion=$ver -X $pkg.gitMajor=$major -X $pkg.gitMinor=$minor -X $pkg.gitTreeState=clean" \
  -o bin/kube-harness .
