#!/usr/bin/env bash
# Makes the train/val folders of docs/results.md from ../shared/datasets (symbolic links, nothing
# copied or changed): weizmann-horses (every 5th image in sorted order -> val), isbi2012-membrane
# (images 25..29 -> val), camvid-subset (split.txt: train -> train, test -> val; ignore index 11).
# Usage: scripts/real-data-splits.sh [SHARED_DATASETS] [OUT]
set -euo pipefail
shared=${1:-$(dirname "$0")/../../shared/datasets}
out=${2:-/tmp/mfdata}
shared=$(cd "$shared" && pwd)
link() { mkdir -p "$(dirname "$2")"; ln -sfn "$1" "$2"; }

i=0
for f in $(ls "$shared/weizmann-horses/images" | sort); do
  stem=${f%.*}
  part=train; if (( i % 5 == 4 )); then part=val; fi
  link "$shared/weizmann-horses/images/$f" "$out/horses/$part/images/$f"
  link "$shared/weizmann-horses/masks/$stem.png" "$out/horses/$part/masks/$stem.png"
  i=$((i + 1))
done
for part in train val; do printf 'background\nhorse\n' > "$out/horses/$part/classes.txt"; done

for i in $(seq 0 29); do
  part=train; if (( i >= 25 )); then part=val; fi
  link "$shared/isbi2012-membrane/images/$i.png" "$out/isbi/$part/images/$i.png"
  link "$shared/isbi2012-membrane/masks/$i.png" "$out/isbi/$part/masks/$i.png"
done
for part in train val; do printf 'membrane\ncell\n' > "$out/isbi/$part/classes.txt"; done

while read -r split f; do
  part=train; if [[ $split == test ]]; then part=val; fi
  link "$shared/camvid-subset/images/$f" "$out/camvid/all/images/$f"
  link "$shared/camvid-subset/masks/$f" "$out/camvid/all/masks/$f"
  echo "$part $f" >> "$out/camvid/split.tmp"
done < "$shared/camvid-subset/split.txt"
# CamVid as a project: SegNet's 11 classes with their display colours, 11 (Unlabelled) the ignore
# index, split.txt's split (test -> val).
python3 - "$out/camvid" <<'PY'
import json, sys
root = sys.argv[1]
names = ["Sky", "Building", "Pole", "Road", "Pavement", "Tree", "SignSymbol", "Fence", "Car", "Pedestrian", "Bicyclist"]
colours = [[128,128,128],[128,0,0],[192,192,128],[128,64,128],[60,40,222],[128,128,0],[192,128,128],[64,64,128],
           [64,0,128],[64,64,0],[0,128,192]]
images = []
for line in open(root + "/split.tmp"):
    part, f = line.split()
    images.append({"image": "images/" + f, "mask": "masks/" + f, "status": "reviewed", "split": part})
project = {"schema_version": 1, "name": "camvid-subset", "ignore_index": 11, "split_seed": 0,
           "classes": [{"id": i, "name": n, "color": c} for i, (n, c) in enumerate(zip(names, colours))],
           "images": images}
open(root + "/all/maskforge.json", "w").write(json.dumps(project, indent=2) + "\n")
PY
rm -f "$out/camvid/split.tmp"
echo "made $out/{horses,isbi}/{train,val} and the project $out/camvid/all (its split: split.txt)"
