#!/usr/bin/env bash
# The loop measured end to end on magnetic-tile (issue 18, part 5): builds every project of the comparison
# reproducibly in one folder, and keeps them (the runs are trained on them afterwards, docs/box-supervision.md).
#
#   OUT/truth-train   the 296 training images (split.txt "train") with their true masks        -> run (c)
#   OUT/test          the 96 test images with their true masks (evaluation only)
#   OUT/proj-box      the 296 training images with their YOLO boxes only (status coarse)      -> runs (a), (b)
#   OUT/proj-auto     as scripts/boxes-heldout.sh makes it (share 0.1, offset 0): every 10th image of
#                     each class reviewed with its true mask (32), `refine` (auto) accepted on the
#                     others (264 refined)                                                     -> run (d)
#
# All three training projects get the same train/val split, image by image (every eighth image of each
# class in name order is val), so that every run trains and validates on the same images.
#
# Usage: scripts/boxes-loop.sh CLI OUT      (CLI: a maskforge-cli binary; OUT: a folder, made if absent)
set -euo pipefail
cli=$(realpath "$1")
mkdir -p "$2"
out=$(realpath "$2")
here=$(cd "$(dirname "$0")/.." && pwd)
data=$(realpath "${MF_SHARED:-$here/../shared}/datasets/magnetic-tile")
if [[ ! -f $data/split.txt ]]; then
  echo "skipped: $data not found (set MF_SHARED to the folder holding datasets/magnetic-tile)"
  exit 0
fi
for d in src-train truth-train test proj-box proj-auto; do
  [[ -e $out/$d ]] && { echo "$out/$d exists: remove it first"; exit 1; }
done
mkdir -p "$out/src-train/images" "$out/src-train/labels" "$out/truth-train/images" "$out/truth-train/masks" \
  "$out/test/images" "$out/test/masks"
cp "$data/classes.txt" "$out/src-train/labels/"
awk '$2=="train"{print $1}' "$data/split.txt" | sort > "$out/stems-train.txt"
awk '$2=="test"{print $1}' "$data/split.txt" | sort > "$out/stems-test.txt"
while read -r s; do
  ln -s "$data/images/$s.jpg" "$out/src-train/images/"
  ln -s "$data/images/$s.jpg" "$out/truth-train/images/"
  cp "$data/boxes/$s.txt" "$out/src-train/labels/"
  cp "$data/masks/$s.png" "$out/truth-train/masks/"
done < "$out/stems-train.txt"
while read -r s; do
  ln -s "$data/images/$s.jpg" "$out/test/images/"
  cp "$data/masks/$s.png" "$out/test/masks/"
done < "$out/stems-test.txt"
"$cli" import "$out/truth-train" | tail -1
"$cli" import "$out/test" | tail -1
"$cli" import --format yolo --input "$out/src-train/labels" --out "$out/proj-box" | tail -1

# (d): boxes-heldout.sh's steps with share 0.1, every image, offset 0, on a copy of the box project.
cp -r "$out/proj-box" "$out/proj-auto"
k=10
awk -v k="$k" -v o=0 '{c=$1; sub(/_.*/, "", c); if ((i[c]++ - o) % k == 0 && i[c] > o) print $1}' \
  "$out/stems-train.txt" > "$out/reviewed.txt"
python3 "$here/scripts/mark-reviewed.py" "$out/proj-auto" "$data/masks" "$out/reviewed.txt"
echo "$(wc -l < "$out/reviewed.txt") of $(wc -l < "$out/stems-train.txt") training images marked reviewed with their true masks"
echo "load before refine: $(uptime)"
/usr/bin/time -f "refine: %e s wall, %U s user + %S s system CPU, %M KB peak" \
  "$cli" refine --project "$out/proj-auto" --truth "$data/masks" --accept | grep -v "^FLAGGED\|covers the whole image\|has no area"
echo "load after refine: $(uptime)"
mkdir -p "$out/heldout/truth" "$out/heldout/pred"
grep -vxF -f "$out/reviewed.txt" "$out/stems-train.txt" | while read -r s; do
  ln -s "$out/proj-auto/masks/$s.png" "$out/heldout/pred/"
  ln -s "$data/masks/$s.png" "$out/heldout/truth/"
done
echo "label mIoU of (d) on the $(ls "$out/heldout/pred" | wc -l) held-out images:"
"$cli" score --truth "$out/heldout/truth" --pred "$out/heldout/pred" --classes 6
echo "label mIoU of (d) on all $(wc -l < "$out/stems-train.txt") training images (reviewed ones are their true masks):"
"$cli" score --truth "$out/truth-train/masks" --pred "$out/proj-auto/masks" --classes 6
echo "label mIoU of the box fills (a) on all training images:"
"$cli" score --truth "$out/truth-train/masks" --pred "$out/proj-box/masks" --classes 6

# The same train/val split everywhere, image by image (import leaves the split empty, and a run would
# then split in memory by each project's own mask contents): every eighth image of each class in name
# order (from the fourth) is val, the rest train.
python3 - "$out/truth-train" "$out/proj-box" "$out/proj-auto" <<'PY'
import json, os, sys
from collections import Counter
stem = lambda e: os.path.splitext(os.path.basename(e["image"]))[0]
for p in sys.argv[1:]:
    path = os.path.join(p, "maskforge.json")
    doc = json.load(open(path))
    seen = Counter()
    for e in sorted(doc["images"], key=stem):
        c = stem(e).split("_")[0]
        e["split"] = "val" if seen[c] % 8 == 3 else "train"
        seen[c] += 1
    json.dump(doc, open(path + ".tmp", "w"), indent=2)
    os.replace(path + ".tmp", path)
    print(p, dict(Counter(e["split"] for e in doc["images"])))
PY
