#!/usr/bin/env bash
# The scaling table of docs/distributed.md: build/benchmarks/distributed_scaling
# under mpirun with 1, 2 and 4 processes, in N interleaved rounds (1 2 4 1 2 4
# ...) so that the shared machine's drift hits them alike; per size and process
# count the median over the rounds of each round's medians, and the speed-up
# against 1 process. More processes than cores are oversubscribed (said in the
# table). Open MPI refuses root unless told: as root, set OMPI_ALLOW_RUN_AS_ROOT=1
# and OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1.
#
#   benchmarks/distributed_scaling.sh [-n ROUNDS] [--build DIR] [--procs "1 2 4"]
set -euo pipefail
src="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds=3
build="$src/build"
procs="1 2 4"
while [[ $# -gt 0 ]]; do
  case "$1" in
    -n) rounds="$2"; shift 2 ;;
    --build) build="$2"; shift 2 ;;
    --procs) procs="$2"; shift 2 ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
program="$build/benchmarks/distributed_scaling"
[[ -x "$program" ]] || { echo "no $program: build with MPI found (scripts/setup.sh installs Open MPI)" >&2; exit 2; }
cores="$(nproc)"
out="$(mktemp)"
trap 'rm -f "$out"' EXIT
echo "machine: $cores cores, load average $(cut -d' ' -f1-3 /proc/loadavg); $rounds rounds of: $procs processes"
for ((r = 1; r <= rounds; r++)); do
  for np in $procs; do
    mpirun --oversubscribe -np "$np" "$program" --rounds 3 >>"$out"
  done
done
# size np step allreduce check, one line per round: medians per (size, np).
sort -k1,1 -k2,2n "$out" | awk -v cores="$cores" '
  function med(list,   n, a, i, j, t) {
    n = split(list, a, " ")
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
  }
  { key = $1 " " $2; if (!(key in step)) order[++k] = key
    step[key] = step[key] " " $3; red[key] = red[key] " " $4; chk[key] = chk[key] " " $5 }
  END {
    printf "%-4s %-22s %12s %8s %14s %12s %8s\n", "size", "processes", "step ms", "speed-up", "allreduce ms", "check ms", "speed-up"
    for (i = 1; i <= k; i++) {
      split(order[i], f, " "); s = med(step[order[i]]); c = med(chk[order[i]]); a = med(red[order[i]])
      if (f[2] == 1) { s1 = s; c1 = c }
      label = f[2] (f[2] > cores ? " (oversubscribed)" : "")
      printf "%-4s %-22s %12.4f %7.2fx %14.4f %12.2f %7.2fx\n", f[1], label, s, s1 / s, a, c, c1 / c
    }
  }'
