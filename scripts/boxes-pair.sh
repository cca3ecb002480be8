#!/usr/bin/env bash
# Issue 18's model measure, one seed: the same run config trained on the true masks (OUT/truth-train) and on
# the labels `refine` made from the boxes (OUT/proj-auto), side by side, then both scored on the 96 test
# images (OUT/test) with and without their calibration; prints the per-class IoUs and the ratio
# (mIoU over the five defect classes, auto's labels / true masks).
#
#   OUT    the folder scripts/boxes-loop.sh made (truth-train, proj-auto, test; kept between sessions only
#          if you keep it: a run takes 75-95 minutes of both cores)
#   SEED   the runs' seed (42, 1, 2 and 3 are in docs/box-supervision.md)
#   CONFIG the run YAML both runs share (default docs/results/magtile-pair.yaml: the plan `plan --data
#          OUT/truth-train --budget 45m` made on a quiet machine, with time_budget 0, threads 1, workers 1)
#
# Usage: scripts/boxes-pair.sh CLI OUT SEED [CONFIG]
# Writes OUT/pair-SEED/{cfg-truth,cfg-auto}.yaml, run-truth/, run-auto/, eval-*.json (calibrated),
# evalraw-*.json (--no-calibration) and ratio.txt.
set -euo pipefail
[[ $# -ge 3 ]] || { sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
cli=$(realpath "$1")
out=$(realpath "$2")
seed=$3
here=$(cd "$(dirname "$0")/.." && pwd)
config=$(realpath "${4:-$here/docs/results/magtile-pair.yaml}")
for d in truth-train proj-auto test; do
  [[ -f $out/$d/maskforge.json ]] || { echo "$out/$d is not a project: run scripts/boxes-loop.sh first"; exit 1; }
done
pair="$out/pair-$seed"
[[ -e $pair ]] && { echo "$pair exists: remove it first"; exit 1; }
mkdir -p "$pair"

# The shared config with this pair's data and seed (the keys are top-level in a run YAML).
for kind in truth auto; do
  data=$out/truth-train
  [[ $kind == auto ]] && data=$out/proj-auto
  sed -e "s|^data: .*|data: \"$data\"|" -e "s|^seed: .*|seed: $seed|" -e "s|^out: .*|out: \"$pair/run-$kind\"|" \
    "$config" > "$pair/cfg-$kind.yaml"
  grep -q "^seed: $seed\$" "$pair/cfg-$kind.yaml" || { echo "$config has no top-level seed: key"; exit 1; }
done

echo "[pair] seed $seed: training both runs side by side ($(date -u +%H:%M) UTC)"
"$cli" train --config "$pair/cfg-truth.yaml" > "$pair/train-truth.out" 2>&1 &
t=$!
"$cli" train --config "$pair/cfg-auto.yaml" > "$pair/train-auto.out" 2>&1 &
a=$!
status=0
wait $t || status=$?
wait $a || status=$?
[[ $status -eq 0 ]] || { echo "[pair] a run failed: see $pair/train-*.out"; exit 1; }
echo "[pair] trained ($(date -u +%H:%M) UTC)"

for kind in truth auto; do
  grep -h "calibrat" "$pair/run-$kind/train.log" | tail -2 | sed "s/^/[pair] $kind: /"
  # evaluate writes eval_test.json beside the checkpoint: kept under a name of its own after each pass.
  "$cli" evaluate --run "$pair/run-$kind/last.pt" --split test --data "$out/test" --device cpu > "$pair/eval-$kind.txt"
  cp "$pair/run-$kind/eval_test.json" "$pair/eval-$kind.json"
  "$cli" evaluate --run "$pair/run-$kind/last.pt" --split test --data "$out/test" --device cpu --no-calibration \
    > "$pair/evalraw-$kind.txt"
  cp "$pair/run-$kind/eval_test.json" "$pair/evalraw-$kind.json"
done

python3 - "$pair" <<'PY' | tee "$pair/ratio.txt"
import json, sys
pair = sys.argv[1]
def load(name):
    return json.load(open(f"{pair}/{name}.json"))
def miou(doc):  # the five defect classes: mIoU without background, every class scored (as the docs' tables)
    per = {c["id"]: (c["name"], c["iou"]) for c in doc["per_class"] if c["id"] != 0}
    return doc["miou_no_background"], per
for label, prefix in (("calibrated (the default)", "eval"), ("uncalibrated", "evalraw")):
    (t, tc), (a, ac) = miou(load(f"{prefix}-truth")), miou(load(f"{prefix}-auto"))
    print(f"{label}: true masks {t:.3f}, auto's labels {a:.3f}, ratio {a / t:.2f}x")
    # Classes by id: the true-mask project has no class names (class_1...), the box import named them.
    print("  per class (true / auto): " + ", ".join(f"{ac[k][0]} {tc[k][1]:.3f} / {ac[k][1]:.3f}" for k in tc))
PY
