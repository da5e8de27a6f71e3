#!/usr/bin/env bash
# The whole test suite: set up and build, run every test through ctest, then
# build again with AddressSanitizer and UndefinedBehaviorSanitizer (build-asan/)
# and run every test there too.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/scripts/setup.sh"
cd "$root"

echo "test: Release build"
ctest --test-dir build --output-on-failure -j"$(nproc)"

echo "test: AddressSanitizer + UndefinedBehaviorSanitizer build in build-asan/"
build_tree build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTAPEGRAD_SANITIZE=ON
ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-asan --output-on-failure -j"$(nproc)"
