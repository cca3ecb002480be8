#!/usr/bin/env bash
# Data-parallel scaling on this machine: the same training with 1 and 2 local processes (Gloo on
# loopback), each process one thread, per-rank batch fixed (so 2 processes take half the steps of
# twice the images). Prints epoch seconds, images/s, the speed-up and the communication per step
# (from train.log's allreduce line). Usage: scripts/bench-dist.sh [build dir] [epochs] [images] [size]
set -euo pipefail
build=${1:-build}
epochs=${2:-3}
count=${3:-64}
size=${4:-128}
cli=$build/app/maskforge-cli
work=$(mktemp -d /tmp/mf-bench-dist.XXXXXX)
trap 'rm -rf "$work"' EXIT
"$cli" make-sample --out "$work/sample" --count "$count" --size "$size" --seed 1 >/dev/null
export OMP_NUM_THREADS=1
echo "load before: $(uptime)"
for n in 1 2; do
  start=$(date +%s.%N)
  "$cli" train --data "$work/sample" --arch unet --size "$size" --width 16 --batch 4 --epochs "$epochs" \
      --device cpu --seed 1 --out "$work/run$n" --nproc "$n" >/dev/null
  end=$(date +%s.%N)
  # Epoch 1 warms caches up; the mean of the later epochs is the figure.
  secs=$(awk -F, 'NR>2 {s+=$9; n++} END {printf "%.2f", n ? s/n : 0}' "$work/run$n/metrics.csv")
  train=$(grep -o '[0-9]* train / [0-9]* val' "$work/run$n/train.log" | head -1)
  echo "nproc $n: wall $(echo "$end - $start" | bc) s, epoch (2..$epochs) mean $secs s, $train"
  grep -o 'allreduce.*' "$work/run$n/train.log" | tail -1 || true
  eval "secs$n=$secs"
done
echo "speed-up 1 -> 2 processes (epoch time): $(echo "scale=2; $secs1 / $secs2" | bc)"
# The all-reduce alone, without waiting for a slower peer: the gradient bytes of the run above.
mb=$(grep -o '[0-9.]* MB per step' "$work/run2/train.log" | tail -1 | cut -d' ' -f1)
[ -x "$build/benchmarks/bench_allreduce" ] && "$build/benchmarks/bench_allreduce" "$mb" 1 20
echo "load after: $(uptime)"
