#!/usr/bin/env python3
# Issue 19: how close can any mask come to magnetic-tile's true defect regions? For each test region (as
# clickbench --components reads them) the IoU of the truth against itself grown or shrunk by one pixel, and
# the best IoU of a threshold of local darkness or brightness keeping only the pieces that touch the truth
# (an oracle: it looks at the truth to choose). Needs python3-opencv. Usage: scripts/click-bound.py [magnetic-tile dir]
import cv2, numpy as np, os, sys, collections
root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'shared', 'datasets', 'magnetic-tile')
if not os.path.isfile(os.path.join(root, 'split.txt')):
    sys.exit(f'skipped: {root} has no split.txt (pass the magnetic-tile folder)')
split = dict(l.split() for l in open(os.path.join(root, 'split.txt')))
names = ['bg','blowhole','break','crack','fray','uneven']
res = collections.defaultdict(list)
def iou(a, b):
    u = np.count_nonzero(a | b); return np.count_nonzero(a & b) / u if u else 1.0
for stem in sorted(split):
    if split[stem] != 'test': continue
    img = cv2.imread(os.path.join(root, 'images', stem + '.jpg'), cv2.IMREAD_GRAYSCALE)
    m = cv2.imread(os.path.join(root, 'masks', stem + '.png'), cv2.IMREAD_UNCHANGED)
    obj = ((m != 0) & (m != 255)).astype(np.uint8)
    closed = cv2.morphologyEx(obj, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (5, 5)))
    n, lab = cv2.connectedComponents(closed, connectivity=8)
    g = cv2.GaussianBlur(img.astype(np.float32), (0, 0), 1.0)
    bg = cv2.GaussianBlur(img.astype(np.float32), (0, 0), 10.0)
    for k in range(1, n):
        t = (lab == k) & (obj > 0)
        if not t.any(): continue
        cls = int(np.bincount(m[t]).argmax())
        ys, xs = np.nonzero(t)
        pad = 10
        y0, y1 = max(0, ys.min() - pad), min(img.shape[0], ys.max() + pad + 1)
        x0, x1 = max(0, xs.min() - pad), min(img.shape[1], xs.max() + pad + 1)
        T = t[y0:y1, x0:x1]
        k3 = np.ones((3, 3), np.uint8)
        dil = cv2.dilate(T.astype(np.uint8), k3) > 0
        ero = cv2.erode(T.astype(np.uint8), k3) > 0
        best = 0.0
        for sign in (1, -1):
            d = sign * (bg - g)[y0:y1, x0:x1]
            for q in np.linspace(0.3, 0.995, 60):
                thr = np.quantile(d, q)
                c = (d >= thr).astype(np.uint8)
                nn, ll = cv2.connectedComponents(c, connectivity=8)
                touch = np.unique(ll[T & (c > 0)])
                sel = np.isin(ll, touch[touch > 0])
                best = max(best, iou(sel, T))
        res[cls].append((np.count_nonzero(T), iou(dil, T), iou(ero, T), best))
print('class regions median_px iou_dilate1 iou_erode1 oracle_threshold_iou(mean) oracle>=0.85')
for cls in sorted(res):
    a = np.array(res[cls])
    print(f'{names[cls]:9s} {len(a):3d} {np.median(a[:,0]):8.0f} {a[:,1].mean():.3f} {a[:,2].mean():.3f} {a[:,3].mean():.3f} {np.count_nonzero(a[:,3]>=0.85)}/{len(a)}')
a = np.concatenate([np.array(v) for v in res.values()])
print(f'all       {len(a):3d} {np.median(a[:,0]):8.0f} {a[:,1].mean():.3f} {a[:,2].mean():.3f} {a[:,3].mean():.3f} {np.count_nonzero(a[:,3]>=0.85)}/{len(a)}')
