#!/usr/bin/env bash
# The layers of core/: lists every #include that crosses from one area of core/ to another, with its
# direction, and fails (exit 1) on one that goes up or to an area the including one does not link.
#
# The areas and their order come from core/CMakeLists.txt: one `mf_core_area(<area> [LINKS a b ...])`
# line per area, lowest first; an area may link only areas declared before it. The build keeps the
# same rule (each area compiles seeing only the headers of the areas it links); this script says it
# for every include at once, also for the builds that compile core's sources without its targets
# (tests/fuzz), and runs as the CTest test core_layers.
#
#   scripts/check-layers.sh            summary: one line per pair of areas (count, direction), then problems
#   scripts/check-layers.sh --list     every crossing include: file:line  from -> to  direction
#   scripts/check-layers.sh --graph    the declared areas with their links (direct and all)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
exec python3 - "$root" "${1:-}" <<'PY'
import os, re, sys
root, mode = sys.argv[1], sys.argv[2]
core = os.path.join(root, "core")
order, links = [], {}
for line in open(os.path.join(core, "CMakeLists.txt"), encoding="utf-8"):
    m = re.match(r"\s*mf_core_area\(\s*([a-z_]+)\s*(?:LINKS\s+([a-z_\s]*))?\)", line)
    if m:
        order.append(m.group(1))
        links[m.group(1)] = (m.group(2) or "").split()
if not order:
    sys.exit("check-layers: no mf_core_area(...) lines in core/CMakeLists.txt")
rank = {a: i for i, a in enumerate(order)}
problems = []
reach = {}
for a in order:
    r = {a}
    for b in links[a]:
        if b not in rank:
            problems.append(f"core/CMakeLists.txt: {a} links {b}, which is no area")
        elif rank[b] >= rank[a]:
            problems.append(f"core/CMakeLists.txt: {a} links {b}, which is not below it")
        else:
            r |= reach[b]
    reach[a] = r
dirs = sorted(d for d in os.listdir(core) if os.path.isdir(os.path.join(core, d)))
for d in dirs:
    if d not in rank:
        problems.append(f"core/{d}/: a folder of core/ that is no area (add mf_core_area({d} ...) to core/CMakeLists.txt)")

inc = re.compile(r'^\s*#\s*include\s*"([^"]+)"')
edges, crossings = {}, []
for d in dirs:
    for dirpath, _, files in os.walk(os.path.join(core, d)):
        for f in sorted(files):
            if not f.endswith((".h", ".hpp", ".cpp", ".cc")):
                continue
            path = os.path.join(dirpath, f)
            rel = os.path.relpath(path, root)
            for n, line in enumerate(open(path, encoding="utf-8", errors="replace"), 1):
                m = inc.match(line)
                if not m:
                    continue
                target = m.group(1)
                if target.startswith("../") or "/../" in target:
                    problems.append(f"{rel}:{n}: relative include \"{target}\": name headers as \"<area>/<file>\"")
                    continue
                to = target.split("/")[0] if "/" in target else d
                if to == d or to not in rank or d not in rank:
                    continue
                if rank[to] > rank[d]:
                    direction = "UP"
                elif to not in reach[d]:
                    direction = "not linked"
                else:
                    direction = "down"
                edges.setdefault((d, to), [0, direction])[0] += 1
                crossings.append((rel, n, d, to, direction))
                if direction != "down":
                    problems.append(f"{rel}:{n}: {d} -> {to} ({direction}): \"{target}\"")

if mode == "--graph":
    for a in order:
        below = [b for b in order if b in reach[a] and b != a]
        print(f"{rank[a]:2} {a:12} links {' '.join(links[a]) or '-'}   (sees {' '.join(below) or '-'})")
elif mode == "--list":
    for rel, n, a, b, direction in crossings:
        print(f"{rel}:{n}  {a} -> {b}  {direction}")
else:
    print("areas, lowest first: " + " ".join(order))
    for (a, b), (count, direction) in sorted(edges.items(), key=lambda e: (rank[e[0][0]], rank[e[0][1]])):
        print(f"  {a:12} -> {b:12} {count:3} include(s)  {direction}")
if problems:
    print(f"\n{len(problems)} problem(s):", file=sys.stderr)
    for p in problems:
        print("  " + p, file=sys.stderr)
    sys.exit(1)
print(f"ok: {len(crossings)} includes cross areas, none goes up or to an area not linked")
PY
