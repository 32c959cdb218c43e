#!/usr/bin/env bash
# ci/foreign-host.sh -- what the CTest label foreign-host needs (issue 10:
# the rig on a non-x86 host, proven; tests/foreign-host/).
#   ci/foreign-host.sh arches     the foreign host arches this machine can
#        cross-build the rig for, one a line: arm64 on any other host
#        (amd64 on an arm64 host), riscv64 where the release ships riscv64
#        packages (Debian 13 on). Read by tests/foreign-host/foreign-host.cmake.
#   ci/foreign-host.sh packages   the packages, ARCH-qualified, one a line
#   ci/foreign-host.sh install    add each arch to dpkg (multiarch) and
#        install its libraries: what a static rig links (libdw, libelf and
#        their compression libraries, expat) and the cross toolchain
# `ci/do test --label foreign-host` runs `install` first. Supported: Debian
# (Ubuntu keeps foreign arches on another mirror, which this does not set up).
set -euo pipefail

die() { echo "ci/foreign-host.sh: $*" >&2; exit 1; }

triple() { case $1 in amd64) echo x86_64-linux-gnu ;; arm64) echo aarch64-linux-gnu ;; riscv64) echo riscv64-linux-gnu ;; esac; }

arches() {
  local host id ver
  host=$(dpkg --print-architecture 2>/dev/null || uname -m)
  case $host in arm64|aarch64) echo amd64 ;; *) echo arm64 ;; esac
  id=$(. /etc/os-release 2>/dev/null; echo "${ID:-}")
  ver=$(. /etc/os-release 2>/dev/null; echo "${VERSION_ID:-0}")
  case $host in riscv64) ;; *)
    if [ "$id" = debian ] && [ "${ver%%.*}" -ge 13 ] 2>/dev/null; then echo riscv64; fi ;;
  esac
}

packages() {
  local a t
  for a in $(arches); do
    t=$(triple "$a")
    # libdw-dev:A's static dependencies: pkg-config --static --libs libdw
    echo "libdw-dev:$a libelf-dev:$a zlib1g-dev:$a liblzma-dev:$a libbz2-dev:$a libexpat1-dev:$a"
    echo "gcc-${t//_/-} binutils-${t//_/-} libc6-dev-$a-cross"
  done
  echo qemu-user
}

install() {
  local sudo="" a missing=() p
  [ "$(id -u)" = 0 ] || { command -v sudo >/dev/null || die "not root and no sudo: install by hand: $(packages | tr '\n' ' ')"; sudo=sudo; }
  for a in $(arches); do
    dpkg --print-foreign-architectures | grep -qx "$a" || {
      echo "ci/foreign-host.sh: adding the dpkg architecture $a"
      $sudo dpkg --add-architecture "$a"
    }
  done
  for p in $(packages); do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "ci/foreign-host.sh: installing ${missing[*]}"
  $sudo apt-get update -qq || die "apt-get update failed"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" \
    || die "apt-get install failed for: ${missing[*]}"
}

case ${1:-} in
  arches) arches ;;
  packages) packages | tr ' ' '\n' ;;
  install) install ;;
  *) echo "usage: ci/foreign-host.sh arches | packages | install" >&2; exit 2 ;;
esac
