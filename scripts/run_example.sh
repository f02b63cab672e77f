#!/usr/bin/env bash
# Quick start, part 1: builds the example host and its plugins with Bazel and
# runs the host, which loads both plugins. Installs Bazel if it is missing.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
ensure_go
ensure_cc
ensure_bazel
log "bazel run //host (in examples/)"
bazel_in "$ROOT/examples" run //host
