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
ensure_protoc
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
go run ./tools/modulecheck MODULE.bazel examples/MODULE.bazel gazelle/MODULE.bazel

log "static check of the Starlark Bazel 7-9 removed or changed (every BUILD, .bzl, WORKSPACE, MODULE.bazel)"
go run ./tools/starlarkcheck

log "static check of the rules_go go_library, go_proto_library and go_proto_compiler attributes the deps aspect reads (newest rules_go and 0.34.0)"
go run ./tools/rulesgocheck
go run ./tools/rulesgocheck -version v0.34.0

log "go vet"
go vet ./...

log "bazel test //... (root workspace)"
bazel_in "$ROOT" test //...

log "bazel test //... (examples/)"
bazel_in "$ROOT/examples" test //...

log "go test ./... (unit tests of the Go tools, then integration tests that run Bazel)"
go test -count=1 -timeout 70m ./...

# The same ruleset on the next Go release, through GOTOOLCHAIN as a user
# switches: std's flags come from that SDK's go command, and its plugin
# suite has cases the machine's lacks. Output bases of their own, so the
# two SDKs never replace each other's repository; the disk cache is shared.
ensure_second_go
second_base="${TMPDIR:-/tmp}/rules_go_plugin_$SECOND_GO"
log "$SECOND_GO: the builder's unit tests"
GOTOOLCHAIN="$SECOND_GO" go test -count=1 ./tools/builder/

log "$SECOND_GO: bazel test //... (examples/)"
(cd "$ROOT/examples" && GOTOOLCHAIN="$SECOND_GO" bazel --output_base="$second_base/examples" test --disk_cache="$DISK_CACHE" //...)
(cd "$ROOT/examples" && bazel --output_base="$second_base/examples" shutdown)

# The Go plugin suite links and loads every shape of plugin the Go team
# tests (cgo, PIE, DWARF, method values, ...), TestBuildAndRun a user's
# workspace; the examples above ran go_plugin_test. The rest of the
# integration tests run on the machine's Go only, to keep CI under 45 min.
log "$SECOND_GO: the Go plugin suite and a user's workspace, built, linked and loaded"
GOTOOLCHAIN="$SECOND_GO" RULES_GO_PLUGIN_IT_DIR="$second_base/it" \
  go test -count=1 -timeout 30m -run '^(TestGoPluginSuite|TestBuildAndRun)$' ./tests/integration/
