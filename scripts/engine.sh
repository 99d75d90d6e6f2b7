#!/usr/bin/env bash
# Make a Docker engine reachable on this machine (Debian 12, root, no registry access).
#
#   bash scripts/engine.sh start    # reuse a running engine, or install docker.io and start dockerd;
#                                   # installs bubblewrap (verify's sandbox), docker-compose
#                                   # and pre-commit (test/e2e/pre-commit.test.ts) too
#   bash scripts/engine.sh client   # print the docker client to use
#   bash scripts/engine.sh podman   # make rootful podman usable offline, with the testbase images
#
# Client choice: $RESTAGE_DOCKER, else Debian's /usr/bin/docker (20.10, has BuildKit via
# DOCKER_BUILDKIT=1), else `docker` on PATH. A 28.x /usr/local/bin/docker may exist without buildx;
# it cannot drive BuildKit builds, so it is the last resort.
#
# The daemon runs without a bridge network (--bridge=none): builds and containers must use
# `--network none`. It is detached from this script and keeps running after it exits.
#
# `podman` (restage verify --engine podman; test/e2e/podman.test.ts) installs Debian's podman if
# it is missing, writes the config it needs (only when it differs), and copies every testbase/*
# image of the docker engine that podman lacks or holds with another id (`docker save | podman
# load`: podman stores them as localhost/testbase/…, which `FROM testbase/…` finds offline).
# Config written:
#   /etc/containers/registries.conf.d/99-restage.conf  no unqualified search registries: a short
#       name that is not in the local store fails instead of being looked up in a registry;
#   /etc/containers/containers.conf.d/99-restage.conf  without systemd: cgroupfs and a file event
#       log; without CAP_SYS_RESOURCE: nofile/nproc ulimits within the current hard limits
#       (podman's defaults, 1048576, make runc fail: "error setting rlimit type 7: operation not
#       permitted"; podman caps its own nproc at 32768, so nproc is at most that).
# It then runs `true` in testbase/busybox as a check. Builds and containers must use
# `--network none` and `--pull=never`, as restage's PodmanEngine does.
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

# quietly WHAT LINES COMMAND...: runs COMMAND with its output in a temporary file; if it fails,
# prints "engine.sh: WHAT failed:" and the last LINES lines of that output, and exits 1.
quietly() {
  local what="$1" lines="$2" out
  shift 2
  out="$(mktemp)"
  if ! "$@" >"$out" 2>&1; then
    echo "engine.sh: $what failed:" >&2
    tail -n "$lines" "$out" >&2
    rm -f "$out"
    exit 1
  fi
  rm -f "$out"
}

# need_root WHAT: exits unless running as root ("engine.sh: WHAT needs root").
need_root() {
  if [[ "$(id -u)" != 0 ]]; then
    echo "engine.sh: $1 needs root" >&2
    exit 1
  fi
}

apt_install() {
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@"
}

install_docker_packages() {
  apt-get update -qq && apt_install docker.io iptables bubblewrap
}

# verify runs the legacy pipeline inside bubblewrap (src/verify/legacy/sandbox.ts): installed with
# the engine, and on its own when the engine is already there.
ensure_bubblewrap() {
  command -v bwrap >/dev/null 2>&1 && return 0
  need_root "installing bubblewrap"
  quietly "installing bubblewrap" 20 sh -c 'DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends bubblewrap || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends bubblewrap; }'
  echo "engine: installed bubblewrap ($(command -v bwrap))"
}

install_engine() {
  need_root "dockerd is missing and installing docker.io"
  quietly "installing docker.io" 40 install_docker_packages
}

# test/e2e/compose-real.test.ts holds restage's Compose translation against the real program:
# Debian's docker-compose (v1; Debian 12 has no v2 plugin).
ensure_compose() {
  command -v docker-compose >/dev/null 2>&1 && return 0
  need_root "installing docker-compose"
  quietly "installing docker-compose" 20 sh -c 'DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends docker-compose || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends docker-compose; }'
  echo "engine: installed docker-compose ($(command -v docker-compose))"
}

# test/e2e/pre-commit.test.ts runs the restage-check hook (.pre-commit-hooks.yaml) with the real
# tool: Debian's pre-commit (its nodeenv makes the hook's environment from the system node).
ensure_pre_commit() {
  command -v pre-commit >/dev/null 2>&1 && return 0
  need_root "installing pre-commit"
  quietly "installing pre-commit" 20 sh -c 'DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends pre-commit || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends pre-commit; }'
  echo "engine: installed pre-commit ($(command -v pre-commit))"
}

start() {
  ensure_bubblewrap
  ensure_compose
  ensure_pre_commit
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

PODMAN_REGISTRIES=/etc/containers/registries.conf.d/99-restage.conf
PODMAN_CONTAINERS=/etc/containers/containers.conf.d/99-restage.conf

podman_config_containers() {
  if [[ ! -d /run/systemd/system ]]; then
    printf '[engine]\ncgroup_manager = "cgroupfs"\nevents_logger = "file"\n'
  fi
  # CapEff bit 24 is CAP_SYS_RESOURCE: without it the hard limits cannot be raised.
  local capeff
  capeff="$(awk '/^CapEff:/ { print $2 }' /proc/self/status)"
  if (((16#$capeff >> 24 & 1) == 0)); then
    local nofile nproc
    nofile="$(ulimit -Hn)"
    nproc="$(ulimit -Hu)"
    [[ "$nofile" == unlimited || "$nofile" -gt 1048576 ]] && nofile=1048576
    [[ "$nproc" == unlimited || "$nproc" -gt 32768 ]] && nproc=32768
    printf '[containers]\ndefault_ulimits = ["nofile=%s:%s", "nproc=%s:%s"]\n' "$nofile" "$nofile" "$nproc" "$nproc"
  fi
}

# write_if_changed FILE CONTENT: makes FILE hold CONTENT (none: no FILE); prints FILE if it changed it.
write_if_changed() {
  local file="$1" content="${2%$'\n'}"
  if [[ -z "$content" ]]; then
    if [[ -e "$file" ]]; then rm -f "$file" && printf '%s\n' "$file"; fi
    return 0
  fi
  if [[ -f "$file" && "$(cat "$file"; echo .)" == "$content"$'\n.' ]]; then return 0; fi
  mkdir -p "$(dirname "$file")" && printf '%s\n' "$content" >"$file.tmp.$$" && mv "$file.tmp.$$" "$file" || return 1
  printf '%s\n' "$file"
}

# Offline first: the package cache may already hold podman.
install_podman_package() {
  apt_install podman || { apt-get update -qq && apt_install podman; }
}

# docker_to_podman DOCKER IMAGE...: copies IMAGEs from the docker engine (client DOCKER) to podman.
docker_to_podman() {
  local docker="$1"
  shift
  "$docker" save "$@" | podman load
}

podman_setup() {
  local did=() out
  if ! command -v podman >/dev/null 2>&1; then
    need_root "podman is missing and installing it"
    quietly "installing podman" 40 install_podman_package
    did+=("installed podman")
  fi

  local written file
  written="$(write_if_changed "$PODMAN_REGISTRIES" 'unqualified-search-registries = []' &&
    write_if_changed "$PODMAN_CONTAINERS" "$(podman_config_containers)")" || {
    echo "engine.sh: writing podman's config failed (root needed)" >&2
    exit 1
  }
  for file in $written; do did+=("wrote $file"); done

  # testbase/* images of the docker engine that podman lacks, or holds with another id.
  local docker want=() ref id have
  if docker="$(client)" && "$docker" info >/dev/null 2>&1; then
    while read -r ref id; do
      [[ "$ref" == *"<none>"* ]] && continue
      have="$(podman image inspect --format '{{.Id}}' "localhost/$ref" 2>/dev/null || true)"
      [[ "$have" == "${id#sha256:}" ]] || want+=("$ref")
    done < <("$docker" images --no-trunc --filter 'reference=testbase/*' --format '{{.Repository}}:{{.Tag}} {{.ID}}')
    if ((${#want[@]} > 0)); then
      quietly "copying ${want[*]} from docker to podman" 20 docker_to_podman "$docker" "${want[@]}"
      did+=("copied ${want[*]} from docker")
    fi
  elif ! podman image exists localhost/testbase/busybox:latest; then
    echo "engine.sh: podman has no testbase images and no docker engine is reachable to copy them from" \
      "(bash scripts/engine.sh start && bash scripts/test-images.sh)" >&2
    exit 1
  fi

  local version
  version="$(podman version --format '{{.Client.Version}}' 2>/dev/null || echo '?')"
  if ((${#did[@]} > 0)); then
    if podman image exists localhost/testbase/busybox:latest &&
        ! out="$(podman run --rm --network none --pull=never testbase/busybox:latest true 2>&1)"; then
      echo "engine.sh: podman cannot run a container: $out" >&2
      exit 1
    fi
    local summary="" item
    for item in "${did[@]}"; do summary+="${summary:+; }$item"; done
    echo "podman: $summary (podman $version)"
  else
    echo "podman: ready (podman $version, testbase images present)"
  fi
}

case "${1:-}" in
  start) start ;;
  podman) podman_setup ;;
  client)
    client || { echo "engine.sh: no docker client found" >&2; exit 1; }
    ;;
  *)
    echo "usage: $0 start|client|podman" >&2
    exit 2
    ;;
esac
