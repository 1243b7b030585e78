#!/usr/bin/env bash
# Provide a running Docker engine: nothing if `docker info` already answers;
# otherwise install Debian's docker.io and start dockerd in the background.
# Idempotent. Prints what it does. Needs root (or sudo) only when it installs.
set -euo pipefail

log() { printf '[provide-docker] %s\n' "$*"; }
die() { printf '[provide-docker] error: %s\n' "$*" >&2; exit 1; }

SOCKET="${LB_DEV_DOCKER_SOCKET:-/var/run/docker.sock}"
DOCKERD_LOG="${LB_DEV_DOCKERD_LOG:-/var/log/lb-dev-dockerd.log}"
WAIT_SECONDS="${LB_DEV_DOCKERD_WAIT:-60}"

sudo_if_needed() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    die "need root to run: $* (re-run as root or install sudo)"; fi
}

# A live dockerd, not a zombie left by a killed session (pgrep alone counts those).
live_dockerd() {
  local pid
  for pid in $(pgrep -x dockerd 2>/dev/null); do
    case "$(ps -o stat= -p "$pid" 2>/dev/null)" in Z*|"") ;; *) return 0 ;; esac
  done
  return 1
}

engine_answers() { command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; }

# The default bridge network needs its interface (docker0): a dockerd started elsewhere with
# `--bridge none` deletes it, and the engine then fails to start any bridge-network container
# ("could not find bridge docker0") until it is restarted, which recreates the interface.
bridge_missing() {
  command -v ip >/dev/null 2>&1 || return 1
  [ "$(docker network inspect bridge --format '{{index .Options "com.docker.network.bridge.name"}}' 2>/dev/null)" = docker0 ] || return 1
  ! ip link show docker0 >/dev/null 2>&1
}

if engine_answers; then
  if bridge_missing; then
    log "the engine's bridge docker0 is gone: restarting dockerd to recreate it ..."
    sudo_if_needed pkill -x dockerd || true
    for _ in $(seq 1 "$WAIT_SECONDS"); do live_dockerd || break; sleep 1; done
  else
    log "Docker engine already answers ($(docker version --format '{{.Server.Version}}' 2>/dev/null)); nothing to do."
    exit 0
  fi
fi

if ! command -v dockerd >/dev/null 2>&1; then
  command -v apt-get >/dev/null 2>&1 || die "no Docker engine and no apt-get: install Docker yourself (https://docs.docker.com/engine/install/)"
  log "installing Debian's docker.io (dockerd, containerd, runc) ..."
  export DEBIAN_FRONTEND=noninteractive
  sudo_if_needed apt-get update -qq
  sudo_if_needed apt-get install -y -qq --no-install-recommends docker.io iptables >/dev/null
  log "installed: $(dockerd --version)"
fi

if ! live_dockerd; then
  # A dockerd that was killed leaves its pid files; a new one refuses to start while the pid
  # in them still exists (as a zombie, say). Nothing live owns them now.
  sudo_if_needed rm -f /var/run/docker.pid /var/run/docker/containerd/containerd.pid
  log "starting dockerd in the background (log: $DOCKERD_LOG) ..."
  sudo_if_needed bash -c "nohup setsid dockerd --host=unix://$SOCKET >>'$DOCKERD_LOG' 2>&1 </dev/null &"
else
  log "dockerd is running; waiting for it to answer ..."
fi

for _ in $(seq 1 "$WAIT_SECONDS"); do
  if [ -S "$SOCKET" ] && engine_answers; then
    log "Docker engine ready ($(docker version --format '{{.Server.Version}}' 2>/dev/null)) on $SOCKET"
    exit 0
  fi
  sleep 1
done
tail -n 30 "$DOCKERD_LOG" >&2 2>/dev/null || true
die "dockerd did not answer on $SOCKET within ${WAIT_SECONDS}s (see $DOCKERD_LOG above)"
