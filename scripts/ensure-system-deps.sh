#!/usr/bin/env bash
# Installs the Debian packages the tests drive for real (socat for pty pairs, chromium for
# the editor and web-page tests, mosquitto as the real MQTT broker of the MQTT tests).
# Called by `npm test`; does nothing when they are already there.
set -euo pipefail
need=()
command -v socat >/dev/null 2>&1 || need+=(socat)
[ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] || need+=(chromium)
[ -x "${MOSQUITTO_PATH:-/usr/sbin/mosquitto}" ] || need+=(mosquitto)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ]; then
  echo "missing system packages: ${need[*]} (run as root, or install them: apt-get install ${need[*]})" >&2
  exit 1
fi
echo "installing system packages: ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
