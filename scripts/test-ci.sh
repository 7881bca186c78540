#!/usr/bin/env bash
# The test command (README: `pnpm test:ci`): build, WebGPU lane set-up, every
# test on the wasm lane plus the cpu and webgpu lanes, package checks and the
# API site. A missing WebGPU adapter fails the run; nothing is skipped silently.
set -euo pipefail
cd "$(dirname "$0")/.."

if command -v pnpm >/dev/null 2>&1; then PNPM=(pnpm); else PNPM=(npx -y pnpm@10.34.9); fi
start=$SECONDS
step() { printf '\n== %s (t+%ds)\n' "$1" "$((SECONDS - start))"; }

step "system packages"
bash scripts/install-system-deps.sh

step "build"
"${PNPM[@]}" build

step "WebGPU lane: lavapipe"
bash scripts/setup-webgpu.sh >/dev/null
# shellcheck disable=SC1091
source .cache/lavapipe/env.sh
node scripts/webgpu-check.mjs

step "tests: wasm (all), cpu and webgpu lanes (conformance + smoke)"
npx vitest run

step "browser lane: the gallery in headless Chromium (WebGPU on SwiftShader, and the wasm fallback)"
"${PNPM[@]}" --filter @fovea/example-gallery build
"${PNPM[@]}" --filter @fovea/example-gallery test:browser

step "package checks: publint, attw"
"${PNPM[@]}" lint:pkg

step "API site"
"${PNPM[@]}" run docs # `pnpm docs` alone is npm's "open the docs page" command, not the script

printf '\n== done in %ds\n' "$((SECONDS - start))"
