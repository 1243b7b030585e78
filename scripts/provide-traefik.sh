#!/usr/bin/env bash
# Provide Traefik v3.6 for lb-dev and its tests.
#
#   scripts/provide-traefik.sh            ensure the Docker image (default traefik:v3.6) exists
#   scripts/provide-traefik.sh --binary   ensure a local traefik binary; prints its path on stdout
#
# Image: use it if present; else `docker pull`; where no registry answers, build the newest
# Traefik v3.6.x that the Go module proxy serves, from its Go module, with the machine's Go
# (static, version stamped), cache the binary in ~/.cache/lb-dev, and `docker import` it as a
# minimal image whose entrypoint is the binary. Why: ../docs/traefik-image.md.
# Progress goes to stderr; only the binary path (with --binary) goes to stdout.
set -euo pipefail

IMAGE="${LB_DEV_TRAEFIK_IMAGE:-traefik:v3.6}"
LINE="${LB_DEV_TRAEFIK_LINE:-v3.6}"                 # the minor line to build from source
FALLBACK_VERSION="v3.6.25"                            # newest seen on the proxy; used if probing fails
CACHE_DIR="${LB_DEV_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/lb-dev}"
PULL_TIMEOUT="${LB_DEV_PULL_TIMEOUT:-60}"

log() { printf '[provide-traefik] %s\n' "$*" >&2; }
die() { printf '[provide-traefik] error: %s\n' "$*" >&2; exit 1; }

want_binary=0
case "${1:-}" in
  --binary) want_binary=1 ;;
  "") ;;
  -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) die "unknown argument '$1' (expected nothing or --binary)" ;;
esac

goproxy_base() {
  local first
  first="$(go env GOPROXY 2>/dev/null | tr ',|' '\n\n' | grep -E '^https?://' | head -n1 || true)"
  printf '%s' "${first:-https://proxy.golang.org}"
}

# The newest vX.Y.N that the proxy serves. Its /@v/list can be partial, so probe patch numbers
# above the listed ones too (in parallel: one small request each).
resolve_version() {
  if [ -n "${LB_DEV_TRAEFIK_VERSION:-}" ]; then printf '%s' "$LB_DEV_TRAEFIK_VERSION"; return; fi
  local cached="$CACHE_DIR/traefik/resolved-$LINE"
  if [ -f "$cached" ] && [ -n "$(find "$cached" -mmin -1440 2>/dev/null)" ]; then cat "$cached"; return; fi
  local base mod="github.com/traefik/traefik/v3" found
  base="$(goproxy_base)"
  found="$( { curl -fsS -m 10 "$base/$mod/@v/list" 2>/dev/null || true; \
    seq 0 80 | xargs -P 16 -I{} sh -c \
      "curl -fsS -o /dev/null -m 10 '$base/$mod/@v/$LINE.{}.info' 2>/dev/null && echo $LINE.{}" ; } \
    | grep -E "^${LINE//./\\.}\.[0-9]+$" | sort -V | tail -n1 || true)"
  if [ -z "$found" ]; then
    log "could not list versions on $base; using $FALLBACK_VERSION"
    found="$FALLBACK_VERSION"
  fi
  mkdir -p "$(dirname "$cached")" && printf '%s' "$found" >"$cached"
  printf '%s' "$found"
}

build_binary() {
  local version="$1" out="$2"
  # Go's tarball install puts it in /usr/local/go/bin, which a non-login shell may not have on PATH.
  command -v go >/dev/null 2>&1 || { [ -x /usr/local/go/bin/go ] && export PATH="$PATH:/usr/local/go/bin"; }
  command -v go >/dev/null 2>&1 || die "no Go toolchain: install Go >= 1.26 (Traefik $version needs it) or provide $IMAGE"
  local started=$SECONDS work dir
  log "building Traefik $version from its Go module (first time only; several minutes on 2 cores) ..."
  dir="$(go mod download -json "github.com/traefik/traefik/v3@$version" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",*$/\1/p')"
  [ -d "$dir" ] || die "go mod download did not give a module directory for traefik $version"
  work="$(mktemp -d "${TMPDIR:-/tmp}/lb-dev-traefik-build.XXXXXX")"
  cp -r "$dir/." "$work/" && chmod -R u+w "$work"
  if ! (cd "$work" && CGO_ENABLED=0 go build -trimpath \
      -ldflags "-s -w -X github.com/traefik/traefik/v3/pkg/version.Version=$version" \
      -o "$out.tmp" ./cmd/traefik); then
    rm -rf "$work"
    die "go build of traefik $version failed (output above)"
  fi
  rm -rf "$work"
  mv "$out.tmp" "$out"
  log "built $out in $((SECONDS - started))s"
}

ensure_binary() {
  local version bin
  version="$(resolve_version)"
  bin="$CACHE_DIR/traefik/$version/traefik"
  if [ -x "$bin" ]; then log "cached binary: $bin"; else mkdir -p "$(dirname "$bin")"; build_binary "$version" "$bin"; fi
  printf '%s' "$bin"
}

import_image() {
  local bin="$1" version="$2" root
  root="$(mktemp -d "${TMPDIR:-/tmp}/lb-dev-traefik-root.XXXXXX")"
  mkdir -p "$root/etc/ssl/certs" "$root/tmp"
  cp "$bin" "$root/traefik"
  [ -f /etc/ssl/certs/ca-certificates.crt ] && cp /etc/ssl/certs/ca-certificates.crt "$root/etc/ssl/certs/"
  log "importing $bin as image $IMAGE ..."
  tar -C "$root" -c . | docker import \
    --change 'ENTRYPOINT ["/traefik"]' \
    --change "LABEL org.opencontainers.image.version=$version dev.lb-dev.built-from=go-module" \
    - "$IMAGE" >/dev/null
  rm -rf "$root"
  log "image $IMAGE ready (Traefik $version, built from source)"
}

if [ "$want_binary" -eq 1 ]; then
  ensure_binary
  echo
  exit 0
fi

command -v docker >/dev/null 2>&1 || die "no docker CLI: run scripts/provide-docker.sh first"
docker info >/dev/null 2>&1 || die "the Docker engine does not answer: run scripts/provide-docker.sh first"

if docker image inspect "$IMAGE" >/dev/null 2>&1; then
  log "image $IMAGE present; nothing to do."
  exit 0
fi
if [ "${LB_DEV_SKIP_PULL:-0}" != 1 ]; then
  log "image $IMAGE missing; trying docker pull (${PULL_TIMEOUT}s at most) ..."
  if timeout "$PULL_TIMEOUT" docker pull -q "$IMAGE" >&2 2>/dev/null; then
    log "pulled $IMAGE"; exit 0
  fi
  log "pull failed (no registry reachable?); building from source instead"
fi
version="$(resolve_version)"
bin="$(ensure_binary)"
import_image "$bin" "$version"
