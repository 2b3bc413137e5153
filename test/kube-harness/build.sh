#!/usr/bin/env bash
# Builds test/kube-harness/bin/kube-harness. Needs only `go` and the Go module
# proxy. The first build compiles k8s.io/kubernetes (minutes on 2 cores); the
# Go build and module caches make later builds take seconds, so keep them.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
# Stamp the Kubernetes version into /version (it would say v0.0.0-master
# otherwise), taken from go.mod so a version bump needs no edit here.
ver="$(go list -mod=readonly -m -f '{{.Version}}' k8s.io/kubernetes)" # e.g. v1.34.4
IFS=. read -r major minor _ <<<"${ver#v}"
pkg=k8s.io/component-base/version
# -mod=readonly: go.mod/go.sum are complete; a build must not rewrite them.
exec go build -mod=readonly -trimpath \
  -ldflags="-s -w -X $pkg.gitVersion=$ver -X $pkg.gitMajor=$major -X $pkg.gitMinor=$minor -X $pkg.gitTreeState=clean" \
  -o bin/kube-harness .
