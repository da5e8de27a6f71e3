#!/usr/bin/env bash
# The main job: set up and build, then run the course's experiments and put
# everything under results/:
#   results/ops.txt                 every op of the library gradient-checked
#   results/gradient_checking/      the gradient-checking exercise (results.json)
#   results/initialization/         zeros, random x10, He (results.json, pictures, report.html)
#   results/regularization/         none, L2, dropout (results.json, pictures, report.html)
#   results/optimization/           mini-batch GD, momentum, Adam and the decay runs (2021 edition)
#   results/index.html              links to all of it
# Usage: scripts/demo.sh [DATA_FILE]
# The regularization experiment runs on DATA_FILE when given, else on the
# course's ../shared/data/football.mat when it is there, else on a generated set.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/scripts/setup.sh"
bin="$root/build/examples"
out="$root/results"
mkdir -p "$out"

echo
echo "== Every op, gradient-checked (full listing in results/ops.txt)"
"$bin/check_ops" > "$out/ops.txt"
tail -n 1 "$out/ops.txt"

echo
echo "== Gradient checking"
"$bin/gradient_checking" --output-dir "$out/gradient_checking"

echo
echo "== Initialization"
"$bin/initialization" --output-dir "$out/initialization"

data="${1:-}"
if [ -z "$data" ] && [ -f "$root/../shared/data/football.mat" ]; then
  data="$root/../shared/data/football.mat"
fi
echo
echo "== Regularization"
if [ -n "$data" ]; then
  "$bin/regularization" --data "$data" --output-dir "$out/regularization"
else
  "$bin/regularization" --output-dir "$out/regularization"
fi

echo
echo "== Optimization methods (2021 edition, with its learning-rate decay runs)"
"$bin/optimization" --runs gd,momentum,adam,gd_update_lr,gd_schedule,momentum_schedule,adam_schedule \
  --output-dir "$out/optimization"

echo
echo "== Beyond the course: a softmax network on the 3-class spiral"
"$bin/multiclass" --output-dir "$out/multiclass"

cat > "$out/index.html.tmp" <<HTML
<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>tapegrad: the course's experiments</title>
<style>body{font-family:sans-serif;max-width:900px;margin:2em auto;padding:0 1em}li{margin:.4em 0}</style></head>
<body><h1>tapegrad: the course's experiments</h1>
<ul>
<li><a href="initialization/report.html">Initialization</a>: zeros, random x10 and He on the circles</li>
<li><a href="regularization/report.html">Regularization</a>: none, L2 and dropout$( [ -n "$data" ] && echo " on $(basename "$data")" || echo " on a generated data set")</li>
<li><a href="optimization/report.html">Optimization methods</a>: mini-batch gradient descent, momentum, Adam and learning-rate decay on the moons</li>
<li><a href="gradient_checking/results.json">Gradient checking</a>: the course's checks, the planted bugs caught, autodiff checked</li>
<li><a href="multiclass/report.html">Multi-class</a>: a softmax network on the 3-class spiral, gradient-checked and audited before mini-batch Adam</li>
<li><a href="ops.txt">Every op</a> of the library, gradient-checked</li>
</ul></body></html>
HTML
mv "$out/index.html.tmp" "$out/index.html"
echo
echo "Report: $out/index.html"
