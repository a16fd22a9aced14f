#!/usr/bin/env bash
# Installs what Rivulet needs and is missing: Debian packages, npm packages, then builds.
# Idempotent and quiet: a second run only checks, and takes a few seconds.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '[setup] %s\n' "$*"; }

# Debian packages the project uses at run or test time.
SYSTEM_PACKAGES=(
  gstreamer1.0-tools
  gstreamer1.0-plugins-base
  gstreamer1.0-plugins-good
  gstreamer1.0-plugins-bad
  gstreamer1.0-plugins-ugly
  gstreamer1.0-libav
  gstreamer1.0-nice
  gstreamer1.0-plugins-base-apps
  chromium
  srt-tools
  python3-gi
  python3-gst-1.0
  gir1.2-gstreamer-1.0
)

missing_packages() {
  local pkg
  for pkg in "${SYSTEM_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || printf '%s\n' "$pkg"
  done
}

install_system_packages() {
  local missing
  missing=$(missing_packages)
  [ -z "$missing" ] && return 0
  if ! command -v apt-get >/dev/null 2>&1; then
    say "missing system packages (install them with your package manager):" $missing
    exit 1
  fi
  local sudo=''
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then sudo='sudo'; else
      say "missing system packages and not root: apt-get install" $missing; exit 1
    fi
  fi
  say "installing system packages:" $missing
  local log
  log=$(mktemp)
  if ! { $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
         $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing; } >"$log" 2>&1; then
    cat "$log"; rm -f "$log"; say "apt-get failed"; exit 1
  fi
  rm -f "$log"
}

lock_hash() { sha256sum package-lock.json package.json */*/package.json | sha256sum | cut -c1-16; }

install_npm_packages() {
  local stamp=node_modules/.rivulet-setup-stamp want
  want=$(lock_hash)
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then return 0; fi
  say "installing npm packages (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error >/dev/null
  lock_hash >"$stamp"
}

build() {
  say "building"
  NX_DAEMON=false npx --no-install nx run-many -t build --output-style=static >/tmp/rivulet-build.$$.log 2>&1 || {
    cat /tmp/rivulet-build.$$.log; rm -f /tmp/rivulet-build.$$.log; say "build failed"; exit 1; }
  rm -f /tmp/rivulet-build.$$.log
}

install_system_packages
install_npm_packages
build
say "ready"
