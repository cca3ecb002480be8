#!/usr/bin/env bash
# The runs of docs/results.md, one after another: for each dataset the planned U-Net (`train` without a
# config: the plan), then the encoder-decoder with the same planned config (only --arch differs), then
# `evaluate` on the validation images at their own resolution and `predict` (masks and overlays).
# Usage: scripts/real-data-results.sh DATA RUNS [dataset...]   (DATA from scripts/real-data-splits.sh)
# Environment: ISBI_BUDGET, CAMVID_BUDGET (default 15m), SKIP_ENCDEC=1 (U-Net only, for isbi and camvid).
set -uo pipefail
cli=${MF_CLI:-$(dirname "$0")/../build/app/maskforge-cli}
data=$1 runs=$2
shift 2
sets=${*:-horses isbi camvid}
mkdir -p "$runs"
stamp() { echo "== $(date -u +%H:%M:%S) $* | $(uptime | sed 's/.*load average/load average/')"; }

one() {  # name train-args... ; budget from $budget
  local name=$1; shift
  stamp "start $name"
  local t0=$(date +%s)
  "$cli" train "$@" --out "$runs/$name" > "$runs/$name.log" 2>&1
  echo "train exit $? in $(( $(date +%s) - t0 )) s" >> "$runs/$name.log"
  stamp "trained $name ($(( $(date +%s) - t0 )) s)"
}

score() {  # name val-args...
  local name=$1; shift
  "$cli" evaluate --run "$runs/$name" "$@" > "$runs/$name.eval.txt" 2>&1
}

predict() {  # name images
  "$cli" predict --run "$runs/$1" --input "$2" --out "$runs/$1/predictions" > /dev/null 2>&1
}

for s in $sets; do
  case $s in
    horses)
      "$cli" plan --data "$data/horses/train" --val "$data/horses/val" --budget 15m --out "$runs/horses-plan.yaml"
      one horses-unet --data "$data/horses/train" --val "$data/horses/val" --budget 15m
      score horses-unet; predict horses-unet "$data/horses/val/images"
      one horses-encdec --config "$runs/horses-unet/config.yaml" --arch encdec
      score horses-encdec; predict horses-encdec "$data/horses/val/images" ;;
    isbi)
      one isbi-unet --data "$data/isbi/train" --val "$data/isbi/val" --budget ${ISBI_BUDGET:-15m}
      score isbi-unet --rand 1; predict isbi-unet "$data/isbi/val/images"
      [[ -n ${SKIP_ENCDEC:-} ]] && continue
      one isbi-encdec --config "$runs/isbi-unet/config.yaml" --arch encdec
      score isbi-encdec --rand 1; predict isbi-encdec "$data/isbi/val/images" ;;
    camvid)
      one camvid-unet --data "$data/camvid/all" --budget ${CAMVID_BUDGET:-15m}
      score camvid-unet --split val
      mkdir -p "$runs/camvid-val"
      for f in $(python3 -c "import json;p=json.load(open('$data/camvid/all/maskforge.json'));print(' '.join(i['image'] for i in p['images'] if i['split']=='val'))"); do
        ln -sfn "$data/camvid/all/$f" "$runs/camvid-val/"; done
      predict camvid-unet "$runs/camvid-val"
      [[ -n ${SKIP_ENCDEC:-} ]] && continue
      one camvid-encdec --config "$runs/camvid-unet/config.yaml" --arch encdec
      score camvid-encdec --split val; predict camvid-encdec "$runs/camvid-val" ;;
  esac
done
stamp "all done"
