#!/usr/bin/env bash
# Quick start, part 2: runs every test of the repository. CI runs exactly this.
# Installs Bazel if it is missing; Go modules for the dev tools (buildifier,
# buildtools) come through the Go module proxy, pinned in go.mod/go.sum.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
ensure_go
ensure_cc
ensure_bazel
ensure_bazel_repos
cd "$ROOT"

log "gofmt"
unformatted="$(gofmt -l $(git ls-files '*.go'))"
if [ -n "$unformatted" ]; then
  echo "gofmt needed on:" >&2
  echo "$unformatted" >&2
  exit 1
fi

log "buildifier (format and lint of every Starlark file)"
go tool buildifier -mode=check -lint=warn -r .

log "static check of MODULE.bazel and the module extension"
go run ./tools/modulecheck MODULE.bazel examples/MODULE.bazel

log "static check of the Starlark Bazel 7-9 removed or changed (every BUILD, .bzl, WORKSPACE, MODULE.bazel)"
go run ./tools/starlarkcheck

log "static check of the rules_go go_library attributes the deps aspect reads (newest rules_go and 0.34.0)"
go run ./tools/rulesgocheck
go run ./tools/rulesgocheck -version v0.34.0

log "go vet"
go vet ./...

log "bazel test //... (root workspace)"
bazel_in "$ROOT" test //...

log "bazel test //... (examples/)"
bazel_in "$ROOT/examples" test //...

log "go test ./... (unit tests of the Go tools, then integration tests that run Bazel)"
go test -count=1 -timeout 60m ./...
