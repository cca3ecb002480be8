#!/usr/bin/env bash
# Sets up and builds MaskForge, then starts the main job on the built-in sample project:
# the GUI when a display is available, otherwise the headless demo (`maskforge-cli demo`).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${MF_BUILD_DIR:-$here/build}"
"$here/scripts/setup.sh"
work="${MF_DEMO_DIR:-$here/out/demo}"
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [ "${MF_HEADLESS:-0}" != 1 ]; then
  # The workflow sample: images in every state (unlabelled, coarse, refined, reviewed), so the README's
  # walkthrough can be followed from boxes to the comparison view.
  [ -f "$work/workflow-sample/maskforge.json" ] || "$build/app/maskforge-cli" make-sample --workflow --out "$work/workflow-sample"
  exec "$build/app/maskforge" "$work/workflow-sample"
fi
exec "$build/app/maskforge-cli" demo --out "$work" "$@"
