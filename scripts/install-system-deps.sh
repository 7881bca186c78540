#!/usr/bin/env bash
# Installs the Debian packages Fovea's test lanes need, when run as root and
# when they are missing: the Vulkan loader and Mesa's runtime libraries (the
# WebGPU lane's lavapipe 25.x itself is fetched into .cache by
# scripts/setup-webgpu.sh, without touching the system's Mesa), and Debian's
# Chromium for the browser lane. Without root, it only reports what is missing.
set -euo pipefail

need=()
dpkg -s libvulkan1 >/dev/null 2>&1 || need+=(libvulkan1)
dpkg -s mesa-vulkan-drivers >/dev/null 2>&1 || need+=(mesa-vulkan-drivers)
if [ "${FOVEA_BROWSER_LANE:-1}" = 1 ]; then
  dpkg -s chromium >/dev/null 2>&1 || need+=(chromium)
fi

if [ ${#need[@]} -eq 0 ]; then
  echo "system deps: all present"
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "system deps: missing ${need[*]}; run as root: apt-get install -y ${need[*]}" >&2
  exit 1
fi
echo "system deps: installing ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${need[@]}"
