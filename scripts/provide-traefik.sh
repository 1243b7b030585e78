#!/usr/bin/env bash
# Provide Traefik v3.6 for lb-dev and its tests.
#
#   scripts/provide-traefik.sh            ensure the Docker image (default traefik:v3.6) exists
#   scripts/provide-traefik.sh --binary   ensure a local traefik binary; prints its path on stdout
#
# Image: use it if present; else pull it; where no registry answers, import a local Traefik
# binary as a minimal image whose entrypoint is the binary. The binary comes from the cache
# (~/.cache/lb-dev/traefik/<version>/traefik), else Traefik's official release download
# (SHA-256 checked), else a build from its Go module with the machine's Go >= 1.26.
# Why: ../docs/traefik-image.md. The work is done by scripts/provide-traefik.mjs on the built
# modules in dist/. Progress goes to stderr; only the binary path (with --binary) to stdout.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

case "${1:-}" in
  --binary|"") ;;
  -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) printf '[provide-traefik] error: unknown argument %s (expected nothing or --binary)\n' "$1" >&2; exit 1 ;;
esac

if [ ! -f "$root/dist/adapters/traefik/obtain/obtain-traefik.js" ]; then
  printf '[provide-traefik] dist/ is not built yet: running npm run build\n' >&2
  (cd "$root" && npm run --silent build) >&2
fi
exec node "$root/scripts/provide-traefik.mjs" "$@"
