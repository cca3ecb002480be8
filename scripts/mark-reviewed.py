#!/usr/bin/env python3
"""Mark images of a project reviewed with their true masks, as a person who checked them would have.

Usage: scripts/mark-reviewed.py PROJECT TRUE_MASKS_DIR STEMS_FILE
Each image whose file stem is listed in STEMS_FILE (whitespace-separated) gets the true mask
TRUE_MASKS_DIR/<stem>.png as its mask and the status "reviewed"; maskforge.json is replaced atomically.
Used by scripts/boxes-heldout.sh and scripts/boxes-loop.sh.
"""
import json
import os
import shutil
import sys

proj, masks, listed = sys.argv[1], sys.argv[2], sys.argv[3]
reviewed = set(open(listed).read().split())
path = os.path.join(proj, "maskforge.json")
doc = json.load(open(path))
for e in doc["images"]:
    stem = os.path.splitext(os.path.basename(e["image"]))[0]
    if stem in reviewed:
        shutil.copyfile(os.path.join(masks, stem + ".png"), os.path.join(proj, e["mask"]))
        e["status"] = "reviewed"
tmp = path + ".tmp"
json.dump(doc, open(tmp, "w"), indent=2)
os.replace(tmp, path)
