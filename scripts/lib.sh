# Shared by the scripts of this directory: installs what they need and
# defines how Bazel is run here. Source it; do not run it.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# One disk cache for every workspace of this repository (root, examples and
# the integration tests' scratch workspaces), so the standard library is
# compiled once per machine rather than once per workspace.
DISK_CACHE="${RULES_GO_PLUGIN_DISK_CACHE:-$ROOT/.cache/bazel-disk}"
export RULES_GO_PLUGIN_DISK_CACHE="$DISK_CACHE"

log() { printf '\n==> %s\n' "$*"; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

# Bazel: Debian's bazel-bootstrap (4.2.3) is the Bazel these machines can install,
# and Debian's bazel-skylib the @bazel_skylib the workspaces here use offline
# (tools/offline_bazel).
ensure_bazel() {
  if ! command -v bazel >/dev/null 2>&1; then
    log "installing Bazel (Debian's bazel-bootstrap)"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq bazel-bootstrap >/dev/null
  fi
  if [ ! -f /usr/share/bazel/tools/skylib/bzl_library.bzl ]; then
    log "installing bazel_skylib (Debian's bazel-skylib)"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq bazel-skylib >/dev/null
  fi
}

# bazel_skylib and platforms for the integration test that runs a real rules_go
# (0.34.0) on Bazel 4.2.3: Debian packages them under /usr/share/bazel/tools.
ensure_bazel_repos() {
  if [ -f /usr/share/bazel/tools/skylib/WORKSPACE ] && [ -f /usr/share/bazel/tools/platforms/WORKSPACE ]; then return; fi
  log "installing bazel-skylib and bazel-platforms (Debian)"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq bazel-skylib bazel-platforms >/dev/null
}

# protoc (Debian's protobuf-compiler) and Debian's rules_proto, for the test of
# rules_go go_proto_library targets in deps (tests/integration/rules_go_proto_test.go).
ensure_protoc() {
  if command -v protoc >/dev/null 2>&1 && [ -f /usr/share/bazel/rules/proto/proto/defs.bzl ]; then return; fi
  log "installing protoc and rules_proto (Debian's protobuf-compiler, bazel-rules-proto)"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq protobuf-compiler bazel-rules-proto >/dev/null
}

# Go: the ruleset uses the SDK on the machine (go on PATH, or /usr/local/go).
ensure_go() {
  if command -v go >/dev/null 2>&1; then return; fi
  if [ -x /usr/local/go/bin/go ]; then
    export PATH="/usr/local/go/bin:$PATH"
    return
  fi
  echo "error: no Go SDK: install Go 1.26 (https://go.dev/dl) into /usr/local/go or put go on PATH" >&2
  exit 1
}

# The Go release after the machine's, which CI builds and tests with too
# (users move to each Go release within weeks): the go command fetches it
# through the Go module proxy, as GOTOOLCHAIN does.
SECOND_GO="${RULES_GO_PLUGIN_SECOND_GO:-go1.27.3}"
export RULES_GO_PLUGIN_SECOND_GO="$SECOND_GO"

ensure_second_go() {
  if ! GOTOOLCHAIN="$SECOND_GO" go version >/dev/null; then
    echo "error: GOTOOLCHAIN=$SECOND_GO go version failed: the go command fetches $SECOND_GO through the Go module proxy (GOPROXY)" >&2
    exit 1
  fi
}

# The C compiler that the external link of plugins and hosts uses.
ensure_cc() {
  if command -v cc >/dev/null 2>&1; then return; fi
  log "installing gcc"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gcc libc6-dev >/dev/null
}

# bazel_in DIR ARGS...: runs Bazel in a workspace with the shared disk cache.
# Into a log (CI, a captured terminal) Bazel 4 prints its progress line as
# text every few seconds while a step runs: on a fresh machine the SDK
# setup's "Analyzing: target //host:host (19 packages loaded, ...)" a dozen
# times, and still four times with one line per 30 s, since the line cannot
# say which setup step runs (repository_ctx.report_progress does not reach it
# there). So in a log: no progress lines, a note of what a first build does
# instead, and Bazel's INFO, ERROR and test summary lines as they are.
bazel_in() {
  local dir="$1" cmd="$2"
  shift 2
  local progress=()
  if [ ! -t 1 ]; then
    progress=(--noshow_progress)
    echo "(Bazel's progress lines are off in a log. The first build on a machine sets up the Go SDK and compiles the standard library: a few minutes.)"
  fi
  (cd "$dir" && bazel "$cmd" --disk_cache="$DISK_CACHE" "${progress[@]}" "$@")
}
