#!/usr/bin/env bash
# How long a user's translation unit takes to compile (docs/benchmarks.md,
# "Compile time"). Compiles, with the flags CMake's Release build gives a
# program linking tapegrad::tapegrad (the examples' flags):
#   user_model      benchmarks/compile_time/user_model.cpp: a model written as plain
#                   expressions, a gradient check, Adam on mini-batches (<tapegrad/tapegrad.hpp>)
#   quickstart      examples/quickstart/main.cpp, the README's example
#   xtensor_only    benchmarks/compile_time/xtensor_only.cpp: only <xtensor/xtensor.hpp>,
#                   the floor (tapegrad::matrix is xt::xtensor<double, 2>)
#   libtorch_model  benchmarks/compile_time/user_model_libtorch.cpp: user_model's program
#                   for libtorch (<torch/torch.h>), when Debian's libtorch-dev is installed
# in N interleaved rounds (each round compiles every TU once, in turn, so the
# shared machine's drift hits them alike), and prints per TU the median, min and
# max wall and user CPU seconds, and the ratios of the medians.
# Needs no build: the headers are taken from the source tree.
#
#   benchmarks/compile_time.sh [-n ROUNDS] [--no-libtorch] [--flags "FLAGS"] [--cxx COMPILER]
#   benchmarks/compile_time.sh --headers [-n ROUNDS]   # what each header of tapegrad.hpp adds
#   benchmarks/compile_time.sh --compare DIR            # also user_model against DIR's headers
#
# --compare DIR: DIR is another tapegrad source tree (e.g. `git archive` of an
# older commit); user_model.cpp is also compiled against its headers, as
# user_model@compare, in the same rounds: before/after figures of one run.
#
# --headers: for every header tapegrad.hpp includes, the median user CPU time of
# a TU with <xtensor/xtensor.hpp> and that header alone (-fsyntax-only: parsing
# and instantiation, no code generation), minus that of <xtensor/xtensor.hpp>
# alone. Headers share what they include, so the column does not add up; it
# shows where the cost is.
set -euo pipefail

src="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds=7
libtorch=1
headers=0
compare=""
cxx="${CXX:-c++}"
flags="-O3 -DNDEBUG -Wall -Wextra -ffp-contract=off -std=c++17"
while [[ $# -gt 0 ]]; do
  case "$1" in
    -n) rounds="$2"; shift 2 ;;
    --no-libtorch) libtorch=0; shift ;;
    --flags) flags="$2"; shift 2 ;;
    --cxx) cxx="$2"; shift 2 ;;
    --headers) headers=1; shift ;;
    --compare) compare="$(cd "$2" && pwd)"; shift 2 ;;
    -h|--help) sed -n '2,29p' "$0"; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# <tapegrad/...> resolves to the source root, as in the build tree's include/.
mkdir -p "$work/include"
ln -s "$src" "$work/include/tapegrad"
if [[ -n "$compare" ]]; then
  mkdir -p "$work/compare"
  ln -s "$compare" "$work/compare/tapegrad"
fi

torch_include=/usr/include/torch/csrc/api/include
# libtorch's compile definitions and ABI flag, as its CMake package gives them.
torch_flags="-isystem $torch_include -DGFLAGS_IS_A_DLL=0 -DGLOG_CUSTOM_PREFIX_SUPPORT -DUSE_C10D_GLOO \
-DUSE_DISTRIBUTED -DUSE_RPC -DUSE_TENSORPIPE -D_GLIBCXX_USE_CXX11_ABI=1"

# time_one NAME FILE EXTRA_FLAGS: one compile, appends "wall user" to $work/NAME.
time_one() {
  local name="$1" file="$2" extra="$3" t
  # shellcheck disable=SC2086
  t=$( { TIMEFORMAT='%R %U'; time $cxx $extra -I"$work/include" $flags -c "$file" -o "$work/out.o" >/dev/null 2>"$work/err"; } 2>&1 ) || {
    echo "compiling $file failed:" >&2; cat "$work/err" >&2; exit 1; }
  echo "$t" >>"$work/$name"
}

# stats NAME COLUMN: "median min max" of a column (1 wall, 2 user) of $work/NAME.
stats() {
  cut -d' ' -f"$2" "$work/$1" | sort -g | awk '{v[NR] = $1} END {
    m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.2f %.2f %.2f", m, v[1], v[NR] }'
}

echo "compiler: $($cxx --version | head -1)"
echo "flags:    $flags"
echo "machine:  $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"

if [[ $headers -eq 1 ]]; then
  mapfile -t hs < <(sed -n 's|^#include <\(tapegrad/[^>]*\)>.*|\1|p' "$src/tapegrad.hpp")
  printf '#include <xtensor/xtensor.hpp>\n' >"$work/base.cpp"
  for ((r = 1; r <= rounds; r++)); do
    flags_saved="$flags"; flags="$flags -fsyntax-only"
    time_one base "$work/base.cpp" ""
    for h in "${hs[@]}"; do
      printf '#include <xtensor/xtensor.hpp>\n#include <%s>\n' "$h" >"$work/h.cpp"
      time_one "h_${h//\//_}" "$work/h.cpp" ""
    done
    printf '#include <xtensor/xtensor.hpp>\n#include <tapegrad/tapegrad.hpp>\n' >"$work/all.cpp"
    time_one all "$work/all.cpp" ""
    flags="$flags_saved"
  done
  read -r base _ _ <<<"$(stats base 2)"
  printf '\n%-45s %s\n' "-fsyntax-only, median user s over $rounds rounds" "beyond <xtensor/xtensor.hpp> ($base s)"
  for h in "${hs[@]}"; do
    read -r m _ _ <<<"$(stats "h_${h//\//_}" 2)"
    printf '%-45s %+.2f\n' "$h" "$(awk -v a="$m" -v b="$base" 'BEGIN {print a - b}')"
  done
  read -r m _ _ <<<"$(stats all 2)"
  printf '%-45s %+.2f\n' "tapegrad/tapegrad.hpp (all of them)" "$(awk -v a="$m" -v b="$base" 'BEGIN {print a - b}')"
  exit 0
fi

names=(user_model quickstart xtensor_only)
files=("$src/benchmarks/compile_time/user_model.cpp" "$src/examples/quickstart/main.cpp"
       "$src/benchmarks/compile_time/xtensor_only.cpp")
extras=("" "" "")
if [[ -n "$compare" ]]; then
  # -I of the compared tree first: its <tapegrad/...> wins.
  names+=(user_model@compare)
  files+=("$src/benchmarks/compile_time/user_model.cpp")
  extras+=("-I$work/compare")
fi
if [[ $libtorch -eq 1 ]]; then
  if [[ -f "$torch_include/torch/torch.h" ]]; then
    names+=(libtorch_model)
    files+=("$src/benchmarks/compile_time/user_model_libtorch.cpp")
    extras+=("$torch_flags")
  else
    echo "libtorch: <torch/torch.h> not found (Debian: libtorch-dev); skipped"
  fi
fi

for ((r = 1; r <= rounds; r++)); do
  for i in "${!names[@]}"; do time_one "${names[$i]}" "${files[$i]}" "${extras[$i]}"; done
done

printf '\n%-20s %-26s %-26s\n' "$rounds rounds" "wall s: median (min-max)" "user s: median (min-max)"
for n in "${names[@]}"; do
  read -r wm wl wh <<<"$(stats "$n" 1)"
  read -r um ul uh <<<"$(stats "$n" 2)"
  printf '%-20s %-26s %-26s\n' "$n" "$wm ($wl-$wh)" "$um ($ul-$uh)"
  eval "wall_${n//@/_}=$wm user_${n//@/_}=$um"
done
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
echo
echo "user_model / xtensor_only: wall $(ratio "$wall_user_model" "$wall_xtensor_only"), user $(ratio "$user_user_model" "$user_xtensor_only")"
if [[ -n "$compare" ]]; then
  echo "user_model / user_model@compare: wall $(ratio "$wall_user_model" "$wall_user_model_compare"), user $(ratio "$user_user_model" "$user_user_model_compare")"
fi
if [[ " ${names[*]} " == *" libtorch_model "* ]]; then
  echo "libtorch_model / user_model: wall $(ratio "$wall_libtorch_model" "$wall_user_model"), user $(ratio "$user_libtorch_model" "$user_user_model")"
fi
