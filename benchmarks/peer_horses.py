#!/usr/bin/python3
"""Time to accuracy, the Python side: the horses reference protocol of configs/horses-unet.yaml in PyTorch's
Python API (same libtorch build as MaskForge), for a same-session comparison with
`maskforge-cli train --config configs/horses-unet.yaml`.

Protocol (as the config): U-Net width 16, depth 4 (the network of peer_pytorch.py), images resized to
128x128 (bilinear; masks nearest), ImageNet mean/std, horizontal flips with p = 0.5, batch 8, Adam 1e-3
without a schedule, cross-entropy + soft Dice without background, 25 epochs, seed 42. After each epoch the
validation images are scored as MaskForge scores them: resized to 128, softmax, probabilities resized back to
the image's own size (bilinear), argmax, horse IoU = sum tp / sum (tp + fp + fn) over the set.

Usage: /usr/bin/python3 benchmarks/peer_horses.py --train DIR --val DIR [--epochs 25] [--channels-last]
       [--threads N] [--target 0.884]
DIR holds images/ and masks/ (0/255 PNG, 255 = horse), as scripts/real-data-splits.sh makes them.
Prints one JSON object per epoch (seconds since the script started, data loading included) and a summary."""
import argparse, glob, json, os, time

START = time.time()

import cv2
import numpy as np
import torch
import torch.nn.functional as F

from peer_pytorch import Net, dice_loss

MEAN = np.array([0.485, 0.456, 0.406], np.float32)
STD = np.array([0.229, 0.224, 0.225], np.float32)


def load(folder):
    items = []
    for image in sorted(glob.glob(os.path.join(folder, "images", "*"))):
        stem = os.path.splitext(os.path.basename(image))[0]
        mask = os.path.join(folder, "masks", stem + ".png")
        rgb = cv2.cvtColor(cv2.imread(image, cv2.IMREAD_COLOR), cv2.COLOR_BGR2RGB)
        m = cv2.imread(mask, cv2.IMREAD_UNCHANGED)
        if m is None or m.shape[:2] != rgb.shape[:2]:
            raise SystemExit(f"{mask}: missing or not the size of {image}")
        items.append((rgb, (m > 127).astype(np.int64)))
    if not items:
        raise SystemExit(f"{folder}: no images")
    return items


def tensor(rgb):
    x = (rgb.astype(np.float32) / 255.0 - MEAN) / STD
    return torch.from_numpy(x.transpose(2, 0, 1).copy())


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--train", required=True)
    p.add_argument("--val", required=True)
    p.add_argument("--size", type=int, default=128)
    p.add_argument("--width", type=int, default=16)
    p.add_argument("--batch", type=int, default=8)
    p.add_argument("--epochs", type=int, default=25)
    p.add_argument("--threads", type=int, default=os.cpu_count())
    p.add_argument("--channels-last", action="store_true")
    p.add_argument("--target", type=float, default=0.884)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(42)
    rng = np.random.default_rng(42)
    fmt = torch.channels_last if a.channels_last else torch.contiguous_format
    s = a.size
    train = [(tensor(cv2.resize(rgb, (s, s), interpolation=cv2.INTER_LINEAR)),
              torch.from_numpy(cv2.resize(m.astype(np.uint8), (s, s), interpolation=cv2.INTER_NEAREST).astype(np.int64)))
             for rgb, m in load(a.train)]
    val = load(a.val)
    net = Net(True, width=a.width, depth=4).to(memory_format=fmt)
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    best, reached = 0.0, None
    for epoch in range(1, a.epochs + 1):
        net.train()
        order = rng.permutation(len(train))
        losses = []
        for b in range(0, len(order), a.batch):
            idx = order[b:b + a.batch]
            xs, ys = [], []
            for i in idx:
                x, y = train[i]
                if rng.random() < 0.5:
                    x, y = x.flip(2), y.flip(1)
                xs.append(x)
                ys.append(y)
            x = torch.stack(xs).contiguous(memory_format=fmt)
            y = torch.stack(ys)
            opt.zero_grad()
            out = net(x)
            loss = F.cross_entropy(out, y) + dice_loss(out, y, 2)
            loss.backward()
            opt.step()
            losses.append(loss.item())
        net.eval()
        tp = fp = fn = 0
        with torch.no_grad():
            for rgb, m in val:
                x = tensor(cv2.resize(rgb, (s, s), interpolation=cv2.INTER_LINEAR))[None].contiguous(memory_format=fmt)
                prob = F.interpolate(net(x).float().softmax(1), size=m.shape, mode="bilinear", align_corners=False)
                pred = prob.argmax(1)[0].numpy()
                tp += int(((pred == 1) & (m == 1)).sum())
                fp += int(((pred == 1) & (m == 0)).sum())
                fn += int(((pred == 0) & (m == 1)).sum())
        iou = tp / max(1, tp + fp + fn)
        best = max(best, iou)
        elapsed = time.time() - START
        if reached is None and iou >= a.target:
            reached = elapsed
        print(json.dumps({"epoch": epoch, "train_loss": round(float(np.mean(losses)), 5), "horse_iou": round(iou, 5),
                          "seconds": round(elapsed, 1)}), flush=True)
    print(json.dumps({"summary": True, "best_horse_iou": round(best, 5), "target": a.target,
                      "seconds_to_target": None if reached is None else round(reached, 1),
                      "seconds_total": round(time.time() - START, 1), "threads": a.threads,
                      "layout": "channels_last" if a.channels_last else "contiguous"}), flush=True)


if __name__ == "__main__":
    main()
