#!/usr/bin/env bash
# Sets MaskForge up on a fresh Debian 12 machine: installs the Debian packages it needs when they are
# missing (as root, or through sudo), then configures and builds in Release into build/.
# Usage: scripts/setup.sh [extra cmake args...]
# Env: MF_BUILD_DIR (default build), MF_JOBS (default nproc), MF_CONFIGURE_ONLY=1 (install + configure, no build).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${MF_BUILD_DIR:-$here/build}"
jobs="${MF_JOBS:-$(nproc)}"

packages=(
  build-essential cmake ninja-build ccache pkg-config
  qt6-base-dev qt6-charts-dev libqt6opengl6-dev libxkbcommon-dev libgl-dev
  libtorch-dev libopenblas0-pthread libopencv-dev libpng-dev
  nlohmann-json3-dev libyaml-cpp-dev libcli11-dev libgtest-dev libbenchmark-dev
  libpugixml-dev libvigraimpex-dev
  python3-torch python3-torchvision xvfb xauth
  qt6-svg-dev desktop-file-utils appstream dpkg-dev
  libgloo-dev
  libonnx-dev libprotobuf-dev python3-onnx
  libjpeg-dev clang-14 libclang-rt-14-dev
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "[setup] installing: ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

generator=()
command -v ninja >/dev/null && generator=(-G Ninja)
if [ ! -f "$build/CMakeCache.txt" ]; then
  cmake -S "$here" -B "$build" "${generator[@]}" -DCMAKE_BUILD_TYPE=Release "$@"
elif [ $# -gt 0 ]; then
  cmake "$build" "$@"
fi
[ "${MF_CONFIGURE_ONLY:-0}" = 1 ] && exit 0
echo "[setup] building with $jobs jobs"
cmake --build "$build" -j "$jobs"
