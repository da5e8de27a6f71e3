#!/usr/bin/env bash
# The whole test suite: set up and build, run every test through ctest, then
# build again with AddressSanitizer and UndefinedBehaviorSanitizer (build-asan/)
# and run every test there too (but the benchmark programs'), fuzz the file
# loaders (build-fuzz/), and last run the Catch2 suite (the concurrency tests
# included) under ThreadSanitizer (build-tsan/).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/scripts/setup.sh"
cd "$root"

echo "test: Release build"
ctest --test-dir build --output-on-failure -j"$(nproc)"

echo "test: AddressSanitizer + UndefinedBehaviorSanitizer build in build-asan/"
# Without the benchmark programs (tools, not the library; the Release tree runs
# their smoke tests): they were a quarter of this tree's compile time.
# -g1 (line tables: a report's stack still names functions, files and lines)
# instead of -g, in both sanitizer trees. The ASan tree, the largest build of
# the run (8m09s at -O2), compiles at -O1, the level AddressSanitizer's
# documentation recommends: 7m45s in the next run, on a machine 10% slower that
# hour; its tests took the same 1m53s. No level changes a floating-point result
# (no -ffast-math, and -ffp-contract=off), so the course's numbers are checked
# there too.
sanitizer_flags="-O2 -g1 -DNDEBUG"
build_tree build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG" \
  -DTAPEGRAD_SANITIZE=ON -DTAPEGRAD_BUILD_BENCHMARKS=OFF
ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-asan --output-on-failure -j"$(nproc)"

# Fuzzing the file loaders (fuzz/): clang with libFuzzer, AddressSanitizer and
# UndefinedBehaviorSanitizer in build-fuzz/. Each fuzzer runs for
# TAPEGRAD_FUZZ_SECONDS (default 30), all three at once, on a copy of its seed
# corpus (fuzz/corpus/<target>, left unchanged). A crash, a sanitizer report,
# an exception other than tapegrad::error, a hang (10 s) or an allocation over
# 2 GB is a finding: the step fails and prints the input that reproduces it.
echo "test: fuzzing the loaders in build-fuzz/ (clang, libFuzzer)"
fuzz_start=$SECONDS
build_tree build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
  -DTAPEGRAD_BUILD_FUZZERS=ON -DTAPEGRAD_BUILD_TESTS=OFF -DTAPEGRAD_BUILD_EXAMPLES=OFF -DTAPEGRAD_BUILD_BENCHMARKS=OFF \
  -DTAPEGRAD_WITH_MPI=OFF
fuzz_built=$((SECONDS - fuzz_start))
fuzz_seconds="${TAPEGRAD_FUZZ_SECONDS:-30}"
fuzz_targets=(npy csv mat)
declare -A fuzz_pid
for target in "${fuzz_targets[@]}"; do
  run="build-fuzz/fuzz-runs/$target"
  rm -rf "$run"
  mkdir -p "$run/corpus" "$run/findings"
  cp fuzz/corpus/"$target"/* "$run/corpus/"
  UBSAN_OPTIONS=print_stacktrace=1 build-fuzz/fuzz/fuzz_"$target" -max_total_time="$fuzz_seconds" -timeout=10 \
    -rss_limit_mb=2048 -dict=fuzz/"$target".dict -artifact_prefix="$run/findings/" -print_final_stats=1 \
    "$run/corpus" >"$run/log" 2>&1 &
  fuzz_pid[$target]=$!
done
fuzz_failed=()
for target in "${fuzz_targets[@]}"; do
  run="build-fuzz/fuzz-runs/$target"
  if wait "${fuzz_pid[$target]}"; then
    echo "test: fuzz_$target: no finding in $(grep -o 'Done [0-9]* runs' "$run/log" | cut -d' ' -f2) runs (${fuzz_seconds} s)"
  else
    tail -n 60 "$run/log"
    for finding in "$run"/findings/*; do
      [ -e "$finding" ] || continue
      echo "test: fuzz_$target found a problem; reproduce it with: build-fuzz/fuzz/fuzz_$target $finding" >&2
    done
    fuzz_failed+=("fuzz_$target")
  fi
done
echo "test: fuzzing took $((SECONDS - fuzz_start)) s (building ${fuzz_built} s)"
if ((${#fuzz_failed[@]})); then
  echo "test: findings by ${fuzz_failed[*]} (logs in build-fuzz/fuzz-runs/)" >&2
  exit 1
fi

# ThreadSanitizer: the library and the Catch2 suite (tapes on several threads,
# the gradient checker's workers). OpenBLAS runs on one thread here: its own
# thread pool is not instrumented. The MPI component is left out of this tree:
# ThreadSanitizer stops its tests at once on lock-order inversions inside Open
# MPI's own TCP transport (mca_btl_tcp, in MPI_Init). It calls MPI from the main
# thread only; the Release and ASan trees run its tests.
echo "test: ThreadSanitizer build in build-tsan/"
build_tree build-tsan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="$sanitizer_flags" \
  -DTAPEGRAD_SANITIZE_THREAD=ON \
  -DTAPEGRAD_BUILD_EXAMPLES=OFF -DTAPEGRAD_BUILD_BENCHMARKS=OFF -DTAPEGRAD_WITH_MPI=OFF
OPENBLAS_NUM_THREADS=1 TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 \
  ctest --test-dir build-tsan --output-on-failure -j"$(nproc)"
