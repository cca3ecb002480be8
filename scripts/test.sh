#!/usr/bin/env bash
# Sets up and builds MaskForge (installing Debian packages when missing), then runs the whole test
# suite through CTest.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${MF_BUILD_DIR:-$here/build}"
"$here/scripts/setup.sh"
export QT_QPA_PLATFORM="${QT_QPA_PLATFORM:-offscreen}"
ctest --test-dir "$build" --output-on-failure -j "${MF_TEST_JOBS:-2}" --timeout 600 -LE package
# Last: the .deb built from the finished build, unpacked and started (label package).
ctest --test-dir "$build" --output-on-failure --timeout 600 -L package
