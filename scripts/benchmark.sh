#!/usr/bin/env bash
# The benchmark: set up and build (scripts/setup.sh), then time one full-batch
# training step of tapegrad against a hand-written BLAS floor and libtorch on
# five sizes (S4 a tanh network with a skip connection, S5 an epoch of Adam) with
# build/benchmarks/training_step, writing results/benchmark.json.
#
# Usage: scripts/benchmark.sh [--with-libtorch] [training_step options...]
#   --with-libtorch  also install Debian's libtorch-dev (large: about 1 GB with its
#                    dependencies; apt-get, through sudo when not root) and
#                    reconfigure, so libtorch is measured too. Without it, libtorch
#                    is measured only when libtorch-dev is already installed.
# Every other argument goes to training_step: --sizes S1,S2,S3,S4,S5, --repetitions N,
# --smoke, --json FILE (instead of results/benchmark.json); see its --help.
# The machine should be otherwise idle: timings are medians of noisy runs.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

with_libtorch=0
json_given=0
args=()
for a in "$@"; do
  case "$a" in
    --with-libtorch) with_libtorch=1 ;;
    --json|--json=*) json_given=1; args+=("$a") ;;
    *) args+=("$a") ;;
  esac
done

# Packages and the Release build in build/ (defines build_tree).
source "$root/scripts/setup.sh"
cd "$root"

if ((with_libtorch)); then
  if ! dpkg-query -W -f='${Status}' libtorch-dev 2>/dev/null | grep -q "install ok installed"; then
    sudo=""
    if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
    echo "benchmark: installing libtorch-dev (large)"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends libtorch-dev >/dev/null
  fi
  echo "benchmark: reconfiguring build/ with libtorch"
  build_tree build -DCMAKE_BUILD_TYPE=Release
fi

if ((json_given)); then
  exec "$root/build/benchmarks/training_step" "${args[@]}"
fi
mkdir -p "$root/results"
"$root/build/benchmarks/training_step" --json "$root/results/benchmark.json" "${args[@]}"
