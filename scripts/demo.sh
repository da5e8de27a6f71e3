#!/usr/bin/env bash
# The main job: set up and build, then gradient-check every op of the op table.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/scripts/setup.sh"
"$root/build/examples/check_ops"
