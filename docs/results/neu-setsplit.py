# Held-out hand-labelled images (<class>_2) -> test; <class>_18.._20 -> val; the rest -> train.
import json, re, sys
path = sys.argv[1] + '/maskforge.json'
p = json.load(open(path))
for e in p['images']:
    n = int(re.search(r'_(\d+)\.jpg$', e['image']).group(1))
    e['split'] = 'test' if n == 2 else 'val' if n >= 18 else 'train'
json.dump(p, open(path, 'w'), indent=2)
