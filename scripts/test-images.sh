#!/usr/bin/env bash
# Build the base images the e2e tests and samples use, from Debian packages, without any registry.
#
#   bash scripts/test-images.sh            # build the images that do not exist yet
#   bash scripts/test-images.sh --force    # rebuild all of them
#
# Images (one layer each, made by `docker import`; default user root; the CMD the official images
# have — `sh` for busybox, `bash` for the Debian ones — so a legacy script's `docker create IMAGE`
# works as it does against Docker Hub's images; labelled restage.testbase=VERSION):
#   testbase/busybox:latest       busybox-static, applets linked in /bin
#   testbase/debian-slim:bookworm Essential + Priority: required packages, docs trimmed (like debian:*-slim)
#   testbase/gcc:latest           slim + gcc, g++, libc6-dev, make
#   testbase/golang:latest        slim + golang-go; GOPATH=/go, WORKDIR /go, CGO_ENABLED=0 (no gcc inside)
#
# Method: a private apt state with an empty dpkg status resolves each package closure and downloads
# it (cached in $RESTAGE_TEST_IMAGES_CACHE, default /var/cache/restage-test-images); every .deb is
# unpacked with tar (no maintainer scripts run), then the few things those scripts would have made
# (alternatives links, /etc/passwd and /etc/group, ld.so.cache, dpkg status) are made here.
# Needs root, dpkg-deb, apt-get and a reachable engine (bash scripts/engine.sh start).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CACHE="${RESTAGE_TEST_IMAGES_CACHE:-/var/cache/restage-test-images}"
ARCH="$(dpkg --print-architecture)"
DEFAULT_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
# Debian 12's required set pulls usrmerge (and perl) unless usr-is-merged is asked for by name.
SLIM_PACKAGES=('?essential' '?priority(required)' usr-is-merged)

FORCE=0
for arg in "$@"; do
  case "$arg" in
    --force) FORCE=1 ;;
    -h | --help) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "test-images.sh: unknown argument: $arg" >&2; exit 2 ;;
  esac
done

DOCKER="$(bash "$HERE/engine.sh" client)"
if ! "$DOCKER" info >/dev/null 2>&1; then
  echo "test-images.sh: no engine reachable through $DOCKER; run: bash scripts/engine.sh start" >&2
  exit 1
fi

WORK=""
cleanup() { if [[ -n "$WORK" ]]; then rm -rf "$WORK"; fi; }
trap cleanup EXIT

# ---- private apt state -------------------------------------------------------------------------

APTDIR="$CACHE/apt"
ARCHIVES="$CACHE/archives"

apt_setup() {
  mkdir -p "$APTDIR/state/lists/partial" "$APTDIR/cache" "$ARCHIVES/partial"
  : >"$APTDIR/state/status" # empty: every package is "not installed", so apt resolves the whole closure
  cat >"$APTDIR/apt.conf" <<EOF
Dir::State "$APTDIR/state";
Dir::State::status "$APTDIR/state/status";
Dir::Cache "$APTDIR/cache";
Dir::Cache::archives "$ARCHIVES";
APT::Architecture "$ARCH";
APT::Architectures { "$ARCH"; };
APT::Install-Recommends "false";
APT::Sandbox::User "root";
EOF
}

papt() { APT_CONFIG="$APTDIR/apt.conf" DEBIAN_FRONTEND=noninteractive apt-get -q "$@"; }

apt_update() {
  local out
  out="$(mktemp)"
  if ! papt update >"$out" 2>&1; then
    cat "$out" >&2
    rm -f "$out"
    echo "test-images.sh: apt-get update failed" >&2
    exit 1
  fi
  rm -f "$out"
  touch "$APTDIR/updated"
}

# Refresh the package lists when they are missing or older than a day.
apt_update_if_stale() {
  if [[ ! -f "$APTDIR/updated" ]] || [[ -n "$(find "$APTDIR/updated" -mmin +1440)" ]]; then
    apt_update
  fi
}

# closure PKG... -> sets DEBS to the .deb paths of the packages' dependency closure, downloading
# what the cache lacks. Retries once after refreshing the lists (the archive may have moved on).
DEBS=()
closure() {
  local attempt list out name version arch deb missing
  for attempt in 1 2; do
    DEBS=()
    missing=0
    out="$(mktemp)"
    if list="$(papt -s install "$@" 2>"$out")"; then
      # "Inst libc6 (2.36-9+deb12u14 Debian:12.15/oldstable [amd64]) []"
      while read -r name version arch; do
        deb="$ARCHIVES/${name}_${version//:/%3a}_${arch}.deb"
        [[ -f "$deb" ]] || missing=$((missing + 1))
        DEBS+=("$deb")
      done < <(sed -n 's/^Inst \([^ ]*\) (\([^ ]*\) .*\[\([^]]*\)\]).*$/\1 \2 \3/p' <<<"$list")
      if ((${#DEBS[@]} == 0)); then
        echo "test-images.sh: apt resolved nothing for: $*" >&2
        exit 1
      fi
      if ((missing == 0)) || papt -y --download-only install "$@" >>"$out" 2>&1; then
        rm -f "$out"
        for deb in "${DEBS[@]}"; do
          [[ -f "$deb" ]] || { echo "test-images.sh: missing after download: $deb" >&2; exit 1; }
        done
        return 0
      fi
    fi
    if ((attempt == 1)); then
      rm -f "$out"
      apt_update
    fi
  done
  cat "$out" >&2
  rm -f "$out"
  echo "test-images.sh: could not resolve or download: $*" >&2
  exit 1
}

# ---- root file systems -------------------------------------------------------------------------

unpack() { # ROOTFS DEB...
  local rootfs="$1" deb
  shift
  for deb in "$@"; do
    dpkg-deb --fsys-tarfile "$deb" | tar -x --keep-directory-symlink --numeric-owner -C "$rootfs"
  done
}

# Unpack and record each package in the image's dpkg database (status, file list, md5sums,
# conffiles, maintainer scripts) as if dpkg had installed it, so dpkg and apt inside work.
# Packages unpack in parallel: the sets built here share no file, only directories.
unpack_registered() { # ROOTFS DEB...
  local rootfs="$1" i jobs=0 max
  shift
  local info="$rootfs/var/lib/dpkg/info" ctrl
  mkdir -p "$info" "$rootfs/var/lib/dpkg/updates" "$rootfs/var/lib/dpkg/triggers"
  echo 1 >"$info/format" # multiarch layout: Multi-Arch: same packages are "name:arch.*"
  : >"$rootfs/var/lib/dpkg/available"
  ctrl="$(mktemp -d "$WORK/control.XXXX")"
  max="$(nproc)"
  local debs=("$@")
  for i in "${!debs[@]}"; do
    if ((jobs >= max)); then
      wait -n || { echo "test-images.sh: unpacking failed" >&2; exit 1; }
      jobs=$((jobs - 1))
    fi
    unpack_one "$rootfs" "${debs[$i]}" "$ctrl/$i" &
    jobs=$((jobs + 1))
  done
  while ((jobs > 0)); do
    wait -n || { echo "test-images.sh: unpacking failed" >&2; exit 1; }
    jobs=$((jobs - 1))
  done
  for i in "${!debs[@]}"; do cat "$ctrl/$i/status"; done >"$rootfs/var/lib/dpkg/status"
  rm -rf "$ctrl"
}

unpack_one() { # ROOTFS DEB SCRATCH: unpacks DEB, writes its db files, leaves its status entry in SCRATCH/status
  local rootfs="$1" deb="$2" ctrl="$3" control name key f
  local info="$rootfs/var/lib/dpkg/info"
  control="$(dpkg-deb -f "$deb")"
  name="$(sed -n 's/^Package: //p' <<<"$control")"
  key="$name"
  if grep -qx 'Multi-Arch: same' <<<"$control"; then
    key="$name:$(sed -n 's/^Architecture: //p' <<<"$control")"
  fi
  # tar -v names each member as it extracts: "./usr/bin/x" -> "/usr/bin/x", "./" -> "/.".
  dpkg-deb --fsys-tarfile "$deb" |
    tar -xv --keep-directory-symlink --numeric-owner -C "$rootfs" |
    sed -e 's|^\.||' -e 's|/$||' -e 's|^$|/.|' | trimmed_out '/' >"$info/$key.list"
  dpkg-deb -e "$deb" "$ctrl"
  if [[ -f "$ctrl/md5sums" ]]; then
    sed 's|^[0-9a-f]*  |&/|' "$ctrl/md5sums" | trimmed_out '[0-9a-f]*  /' | sed 's|^\([0-9a-f]*  \)/|\1|' \
      >"$info/$key.md5sums"
    rm "$ctrl/md5sums"
  fi
  for f in "$ctrl"/*; do
    [[ "${f##*/}" == control ]] || mv "$f" "$info/$key.${f##*/}"
  done
  { sed '1a Status: install ok installed' <<<"$control"; echo; } >"$ctrl/status"
}

# What debian:*-slim leaves out (its /etc/dpkg/dpkg.cfg.d/docker), applied after the fact; the
# directories themselves stay, as dpkg's path-exclude leaves them.
TRIMMED_DIRS=(man info groff lintian linda locale)
trim_docs() {
  local rootfs="$1" d
  find "$rootfs/usr/share/doc" -mindepth 2 -not -name copyright -not -type d -delete 2>/dev/null || true
  find "$rootfs/usr/share/doc" -mindepth 2 -type d -empty -delete 2>/dev/null || true
  for d in "${TRIMMED_DIRS[@]}"; do
    if [[ -d "$rootfs/usr/share/$d" ]]; then find "$rootfs/usr/share/$d" -mindepth 1 -delete; fi
  done
}

# Filter stdin (paths after PREFIX, a sed regex) down to what trim_docs keeps.
trimmed_out() {
  local prefix="$1" dirs
  dirs="$(IFS='|'; echo "${TRIMMED_DIRS[*]}")"
  sed -E -e "\\#^${prefix}usr/share/($dirs)/#d" \
    -e "\\#^${prefix}usr/share/doc/[^/]+/.+#{\\#^${prefix}usr/share/doc/[^/]+/copyright\$#!d}"
}

passwd_group() { # ROOTFS BASE_PASSWD_DEB
  local rootfs="$1" tmp
  tmp="$(mktemp -d "$WORK/base-passwd.XXXX")"
  unpack "$tmp" "$2"
  install -m 0644 "$tmp/usr/share/base-passwd/passwd.master" "$rootfs/etc/passwd"
  install -m 0644 "$tmp/usr/share/base-passwd/group.master" "$rootfs/etc/group"
  rm -rf "$tmp"
}

common_dirs() {
  local rootfs="$1"
  mkdir -p "$rootfs"/{etc,root,tmp,home,var/tmp}
  chmod 0700 "$rootfs/root"
  chmod 1777 "$rootfs/tmp" "$rootfs/var/tmp"
}

debian_rootfs() { # ROOTFS DEB...
  local rootfs="$1" d deb
  shift
  mkdir -p "$rootfs/usr"
  # Merged /usr, as debootstrap makes it: packages ship /bin etc., and tar keeps these links.
  for d in bin sbin lib lib64; do
    mkdir -p "$rootfs/usr/$d"
    ln -s "usr/$d" "$rootfs/$d"
  done
  unpack_registered "$rootfs" "$@"
  trim_docs "$rootfs"
  common_dirs "$rootfs"
  # The /usr/local hierarchy base-files' postinst makes (no package ships it): Debian's images have
  # it, and builds install there (`gcc -o /usr/local/bin/tool`, golden cp-follow-link).
  mkdir -p "$rootfs"/usr/local/{bin,etc,games,include,lib,man,sbin,share,src}
  install -m 0644 "$rootfs/usr/share/base-passwd/passwd.master" "$rootfs/etc/passwd"
  install -m 0644 "$rootfs/usr/share/base-passwd/group.master" "$rootfs/etc/group"
  # Links maintainer scripts (update-alternatives, dash's postinst) would have made.
  local link target
  while read -r link target; do
    if [[ ! -e "$rootfs/$link" && ! -L "$rootfs/$link" && -e "$rootfs/$(dirname "$link")/$target" ]]; then
      ln -s "$target" "$rootfs/$link"
    fi
  done <<'EOF'
usr/bin/sh dash
usr/bin/awk mawk
usr/bin/which which.debianutils
usr/bin/cc gcc
usr/bin/c89 c89-gcc
usr/bin/c99 c99-gcc
EOF
  mkdir -p "$rootfs/etc/dpkg/dpkg.cfg.d"
  cat >"$rootfs/etc/dpkg/dpkg.cfg.d/docker" <<'EOF'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/groff/*
path-exclude /usr/share/info/*
path-exclude /usr/share/lintian/*
path-exclude /usr/share/linda/*
path-exclude /usr/share/locale/*
EOF
  ldconfig -r "$rootfs"
}

busybox_rootfs() { # ROOTFS BUSYBOX_DEB BASE_PASSWD_DEB
  local rootfs="$1" applet
  unpack "$rootfs" "$2"
  trim_docs "$rootfs"
  common_dirs "$rootfs"
  passwd_group "$rootfs" "$3"
  local bb="$rootfs/bin/busybox"
  [[ -x "$bb" ]] || { echo "test-images.sh: busybox-static has no /bin/busybox" >&2; exit 1; }
  # Same as `busybox --install -s`, but with relative links, all in /bin as in the busybox image.
  for applet in $("$bb" --list); do
    [[ "$applet" == busybox || -e "$rootfs/bin/$applet" ]] || ln -s busybox "$rootfs/bin/$applet"
  done
}

import() { # ROOTFS IMAGE CHANGE...
  local rootfs="$1" image="$2" change args=()
  shift 2
  for change in "$@"; do args+=(--change "$change"); done
  tar -C "$rootfs" --sort=name --numeric-owner --mtime=@0 -c . |
    "$DOCKER" import "${args[@]}" - "$image" >/dev/null
}

# ---- smoke tests (no network, no registry) ------------------------------------------------------

drun() { "$DOCKER" run --rm --network none "$@"; }

smoke() { # IMAGE KIND: a failed image is removed, so the next run rebuilds it
  local image="$1" script out
  case "$2" in
    busybox | slim) script='echo ok' ;;
    gcc) script='cd /tmp && printf "#include <stdio.h>\nint main(void){puts(\"ok\");return 0;}\n" >h.c && cc -O2 -o h h.c && ./h' ;;
    golang) script='mkdir -p /tmp/h && cd /tmp/h && printf "package main\nimport \"fmt\"\nfunc main(){fmt.Println(\"ok\")}\n" >main.go && go mod init example.com/h >/dev/null 2>&1 && go build -o h . && ./h' ;;
  esac
  out="$(drun "$image" sh -c "$script" 2>&1)" || true
  if [[ "$out" != ok ]]; then
    "$DOCKER" rmi "$image" >/dev/null 2>&1 || true
    echo "test-images.sh: smoke test of $image failed (image removed): $out" >&2
    exit 1
  fi
}

# ---- images ------------------------------------------------------------------------------------

# The images' definition version: an image of an older one is brought up to date.
VERSION=3

exists() { "$DOCKER" image inspect "$1" >/dev/null 2>&1; }

current() { [[ "$("$DOCKER" image inspect -f '{{index .Config.Labels "restage.testbase"}}' "$1" 2>/dev/null)" == "$VERSION" ]]; }

cmd_of() { # KIND
  case "$1" in
    busybox) printf '%s' 'CMD ["sh"]' ;;
    *) printf '%s' 'CMD ["bash"]' ;;
  esac
}

size_mb() { "$DOCKER" image inspect -f '{{.Size}}' "$1" | awk '{printf "%.1f MB", $1 / 1000000}'; }

build() { # IMAGE KIND
  local image="$1" kind="$2" start="$EPOCHREALTIME" rootfs
  if ((FORCE == 0)) && exists "$image"; then
    if current "$image"; then
      printf '%-32s exists  %10s  (kept; --force rebuilds)\n' "$image" "$(size_mb "$image")"
      return 0
    fi
  fi
  rootfs="$(mktemp -d "$WORK/rootfs.XXXX")"
  local changes=("ENV PATH=$DEFAULT_PATH" "$(cmd_of "$kind")" "LABEL restage.testbase=$VERSION")
  case "$kind" in
    busybox)
      closure busybox-static base-passwd
      local deb bb="" bp=""
      for deb in "${DEBS[@]}"; do
        case "${deb##*/}" in
          busybox-static_*) bb="$deb" ;;
          base-passwd_*) bp="$deb" ;;
        esac
      done
      busybox_rootfs "$rootfs" "$bb" "$bp"
      ;;
    slim)
      closure "${SLIM_PACKAGES[@]}"
      debian_rootfs "$rootfs" "${DEBS[@]}"
      ;;
    gcc)
      closure "${SLIM_PACKAGES[@]}" gcc g++ libc6-dev make
      debian_rootfs "$rootfs" "${DEBS[@]}"
      ;;
    golang)
      closure "${SLIM_PACKAGES[@]}" golang-go
      debian_rootfs "$rootfs" "${DEBS[@]}"
      mkdir -p "$rootfs/go/bin" "$rootfs/go/src"
      chmod 1777 "$rootfs/go"
      changes+=("ENV PATH=/go/bin:/usr/lib/go/bin:$DEFAULT_PATH" 'ENV GOPATH=/go' 'ENV CGO_ENABLED=0'
        'WORKDIR /go')
      ;;
  esac
  local old_id
  old_id="$("$DOCKER" image inspect -f '{{.Id}}' "$image" 2>/dev/null || true)"
  import "$rootfs" "$image" "${changes[@]}"
  # The image this one replaces is left untagged; drop it unless something still uses it.
  if [[ -n "$old_id" && "$old_id" != "$("$DOCKER" image inspect -f '{{.Id}}' "$image")" ]]; then
    "$DOCKER" rmi "$old_id" >/dev/null 2>&1 || true
  fi
  rm -rf "$rootfs"
  smoke "$image" "$kind"
  local seconds
  seconds="$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')"
  printf '%-32s built   %10s  %6s s\n' "$image" "$(size_mb "$image")" "$seconds"
}

mkdir -p "$CACHE"
WORK="$(mktemp -d "$CACHE/work.XXXX")"
apt_setup
apt_update_if_stale

build testbase/busybox:latest busybox
build testbase/debian-slim:bookworm slim
build testbase/gcc:latest gcc
build testbase/golang:latest golang
