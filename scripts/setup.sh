#!/usr/bin/env bash
# Set-up shared by demo.sh and test.sh: installs the Debian packages tapegrad
# needs (only those missing; silent when all are there), then configures and
# builds a Release build in build/.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

# Build tools and libraries, all Debian 12 packages. clang and libclang-rt-14-dev
# (its libFuzzer and sanitizer runtimes) build the loaders' fuzzers that
# scripts/test.sh runs. Open MPI (libopenmpi-dev, and openmpi-bin for mpirun)
# builds tapegrad::distributed and runs its tests.
packages=(cmake make g++ xtl-dev xtensor-dev libopenblas-dev libsleef-dev catch2 nlohmann-json3-dev libcli11-dev libmatio-dev zlib1g-dev gnuplot-nox clang libclang-rt-14-dev libopenmpi-dev openmpi-bin)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if ((${#missing[@]})); then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  echo "setup: installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# build_tree DIR [cmake options...]: configure and build, showing the log only on failure.
build_tree() {
  local dir="$1"; shift
  mkdir -p "$dir"
  if ! { cmake -S "$root" -B "$dir" "$@" && cmake --build "$dir" -j"$(nproc)"; } >"$dir/setup.log" 2>&1; then
    cat "$dir/setup.log"
    echo "setup: the build in $dir failed (log above, also in $dir/setup.log)" >&2
    return 1
  fi
}

echo "setup: building tapegrad (Release) in build/"
build_tree build -DCMAKE_BUILD_TYPE=Release
