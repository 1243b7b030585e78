#!/usr/bin/env bash
# Provide the Prometheus image for `lb-dev up --monitoring` and its tests.
#
#   scripts/provide-prometheus.sh     ensure the image (default lb-dev/prometheus:local) exists
#
# No Prometheus image is pulled: the image is made from Debian's `prometheus` package (installed
# with apt-get when /usr/bin/prometheus is missing; needs root), as a root filesystem of the
# binary, the shared libraries `ldd` lists for it, and an empty /tmp, with ENTRYPOINT the binary.
# The import goes through the Docker Engine API (scripts/provide-prometheus.mjs, on dist/).
# LB_DEV_PROMETHEUS_IMAGE names another image; LB_DEV_PROMETHEUS_BINARY another binary.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
log() { printf '[provide-prometheus] %s\n' "$*" >&2; }

case "${1:-}" in
  "") ;;
  -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) log "error: unknown argument $1 (expected none)"; exit 1 ;;
esac

binary="${LB_DEV_PROMETHEUS_BINARY:-/usr/bin/prometheus}"
if [ ! -x "$binary" ]; then
  if [ "$(id -u)" -ne 0 ]; then
    log "error: $binary is missing and installing Debian's prometheus package needs root (apt-get install -y prometheus)"
    exit 1
  fi
  log "$binary is missing: installing Debian's prometheus package ..."
  # policy-rc.d: the package must not start (or try to start) its system service here.
  export DEBIAN_FRONTEND=noninteractive RUNLEVEL=1
  apt-get install -y --no-install-recommends prometheus >&2 </dev/null
fi

# Every library the dynamic loader will map, plus the loader itself (absolute paths only).
mapfile -t libs < <(ldd "$binary" 2>/dev/null | grep -o '/[^ ]*' | sort -u || true)
log "binary $binary ($("$binary" --version 2>&1 | head -n1)); libraries: ${libs[*]:-none (static)}"

if [ ! -f "$root/dist/adapters/traefik/docker.js" ]; then
  log "dist/ is not built yet: running npm run build"
  (cd "$root" && npm run --silent build) >&2
fi
exec node "$root/scripts/provide-prometheus.mjs" "${LB_DEV_PROMETHEUS_IMAGE:-lb-dev/prometheus:local}" "$binary" "${libs[@]}"
