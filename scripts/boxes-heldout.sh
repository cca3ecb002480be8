#!/usr/bin/env bash
# Labels from boxes alone on magnetic-tile, scored honestly: the training images are imported with their
# YOLO boxes; a stratified share of them (every k-th image of each class, in name order) is marked
# *reviewed* with its true mask, as a person who checked a few images would have; `refine` (auto, the
# default) chooses per class on those reviewed images alone and accepts its labels; the labels of the
# OTHER images (held out: the choice never saw their masks) are then scored against the true masks by
# `maskforge-cli score`. The headline is that held-out mIoU; refine also prints every method's held-out
# per-class table (--truth scores, it does not choose, once reviewed images exist).
#
# Usage: scripts/boxes-heldout.sh [build dir] [share reviewed, default 0.1] [every n-th training image, default 1]
#        [offset of the reviewed share within each class, default 0] [refine's --method, default auto]
# Example: scripts/boxes-heldout.sh build 0.1 5    # a ~60-image stratified subset, for quick comparisons
set -euo pipefail
build=${1:-build}
share=${2:-0.1}
every=${3:-1}
offset=${4:-0}
method=${5:-auto}
cli=$(realpath "$build/app/maskforge-cli")
here=$(cd "$(dirname "$0")/.." && pwd)
data=${MF_SHARED:-$here/../shared}/datasets/magnetic-tile
if [[ ! -f $data/split.txt ]]; then
  echo "skipped: $data not found (set MF_SHARED to the folder holding datasets/magnetic-tile)"
  exit 0
fi
work=$(mktemp -d /tmp/mf-boxes-heldout.XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/src/images" "$work/src/labels" "$work/truth" "$work/pred"
cp "$data/classes.txt" "$work/src/labels/"
# The training split, every n-th image of each class (stratified).
awk '$2=="train"{print $1}' "$data/split.txt" | sort |
  awk -v n="$every" '{c=$1; sub(/_.*/, "", c); if (k[c]++ % n == 0) print $1}' > "$work/stems.txt"
while read -r s; do
  ln -s "$(realpath "$data/images/$s.jpg")" "$work/src/images/"
  cp "$data/boxes/$s.txt" "$work/src/labels/"
done < "$work/stems.txt"
"$cli" import --format yolo --input "$work/src/labels" --out "$work/p" | tail -1
# The reviewed share: every k-th image of each class (k = round(1/share)), starting at `offset`.
k=$(awk -v s="$share" 'BEGIN{k=int(1/s+0.5); print k<1?1:k}')
awk -v k="$k" -v o="$offset" '{c=$1; sub(/_.*/, "", c); if ((i[c]++ - o) % k == 0 && i[c] > o) print $1}' \
  "$work/stems.txt" > "$work/reviewed.txt"
python3 "$here/scripts/mark-reviewed.py" "$work/p" "$data/masks" "$work/reviewed.txt"
echo "$(wc -l < "$work/stems.txt") training image(s), $(wc -l < "$work/reviewed.txt") marked reviewed with their true masks (every ${k}th of each class from $offset)"
echo "load before: $(uptime)"
/usr/bin/time -f "refine: %e s wall, %U s user + %S s system CPU, %M KB peak" \
  "$cli" refine --project "$work/p" --method "$method" --truth "$data/masks" --accept | grep -v "^FLAGGED\|covers the whole image\|has no area"
echo "load after: $(uptime)"
# Held out: every training image not reviewed, its accepted (or kept box) labels against its true mask.
grep -vxF -f "$work/reviewed.txt" "$work/stems.txt" | while read -r s; do
  ln -s "$work/p/masks/$s.png" "$work/pred/"
  ln -s "$(realpath "$data/masks/$s.png")" "$work/truth/"
done
echo "held-out images: $(ls "$work/pred" | wc -l); maskforge-cli score of their labels against the true masks:"
"$cli" score --truth "$work/truth" --pred "$work/pred" --classes 6
