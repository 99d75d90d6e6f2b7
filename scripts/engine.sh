#!/usr/bin/env bash
# Make a Docker engine reachable on this machine (Debian 12, root, no registry access).
#
#   bash scripts/engine.sh start    # reuse a running engine, or install docker.io and start dockerd
#   bash scripts/engine.sh client   # print the docker client to use
#
# Client choice: $RESTAGE_DOCKER, else Debian's /usr/bin/docker (20.10, has BuildKit via
# DOCKER_BUILDKIT=1), else `docker` on PATH. A 28.x /usr/local/bin/docker may exist without buildx;
# it cannot drive BuildKit builds, so it is the last resort.
#
# The daemon runs without a bridge network (--bridge=none): builds and containers must use
# `--network none`. It is detached from this script and keeps running after it exits.
set -euo pipefail

LOG=/tmp/restage-dockerd.log
WAIT_SECONDS=60

client() {
  if [[ -n "${RESTAGE_DOCKER:-}" ]]; then
    printf '%s\n' "$RESTAGE_DOCKER"
  elif [[ -x /usr/bin/docker ]]; then
    printf '%s\n' /usr/bin/docker
  elif command -v docker >/dev/null 2>&1; then
    command -v docker
  else
    return 1
  fi
}

reachable() {
  local c
  c="$(client)" || return 1
  "$c" info >/dev/null 2>&1
}

install_engine() {
  if [[ "$(id -u)" != 0 ]]; then
    echo "engine.sh: dockerd is missing and installing docker.io needs root" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  local out
  out="$(mktemp)"
  if ! { apt-get update -qq && apt-get install -y -qq --no-install-recommends docker.io iptables; } \
      >"$out" 2>&1; then
    echo "engine.sh: installing docker.io failed:" >&2
    tail -n 40 "$out" >&2
    rm -f "$out"
    exit 1
  fi
  rm -f "$out"
}

start() {
  if reachable; then
    echo "engine: already reachable via $(client)"
    return 0
  fi
  local installed=""
  if ! command -v dockerd >/dev/null 2>&1; then
    install_engine
    installed="installed docker.io, "
  fi
  if ! command -v dockerd >/dev/null 2>&1; then
    echo "engine.sh: dockerd still missing after installing docker.io" >&2
    exit 1
  fi
  # A stale pid file from a killed daemon makes dockerd refuse to start.
  if [[ -f /var/run/docker.pid ]] && ! kill -0 "$(cat /var/run/docker.pid)" 2>/dev/null; then
    rm -f /var/run/docker.pid
  fi
  if ! pgrep -x dockerd >/dev/null 2>&1; then
    setsid nohup dockerd --iptables=false --ip6tables=false --bridge=none \
      --storage-driver=overlay2 >"$LOG" 2>&1 </dev/null &
    disown || true
  fi
  local deadline=$((SECONDS + WAIT_SECONDS))
  while ((SECONDS < deadline)); do
    if reachable; then
      echo "engine: ${installed}started dockerd (log $LOG), client $(client)"
      return 0
    fi
    sleep 0.5
  done
  echo "engine.sh: docker info did not answer within ${WAIT_SECONDS}s; dockerd log tail:" >&2
  tail -n 40 "$LOG" >&2 || true
  exit 1
}

case "${1:-}" in
  start) start ;;
  client)
    client || { echo "engine.sh: no docker client found" >&2; exit 1; }
    ;;
  *)
    echo "usage: $0 start|client" >&2
    exit 2
    ;;
esac
