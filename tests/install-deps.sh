#!/bin/sh
# Installs, from Debian 12's own archive, every package Sextant needs to build, run and test, or
# the packages named as arguments instead (tests/bench/install-peers.sh). Packages already
# present are skipped, so a second run costs a second.
set -eu

packages="
  meson ninja-build pkg-config gcc clang gettext itstool
  libglib2.0-dev libglib2.0-dev-bin libgtk-4-dev libadwaita-1-dev libsoup-3.0-dev
  libjson-glib-dev libsecret-1-dev libsqlite3-dev libcairo2-dev libgsl-dev
  libmd4c-dev libmd4c-html0-dev libsodium-dev libclang-rt-14-dev libpoppler-glib-dev libxml2-dev
  xvfb xauth dbus dbus-x11 gnome-keyring at-spi2-core
  desktop-file-utils appstream imagemagick flatpak-builder
  poppler-utils
"
if [ $# -gt 0 ]; then
  packages="$*"
fi

missing=""
for p in $packages; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing="$missing $p"
  fi
done

if [ -z "$missing" ]; then
  echo "install-deps: all packages present"
  exit 0
fi

echo "install-deps: installing$missing"
if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q
# shellcheck disable=SC2086
$sudo apt-get install -y -q --no-install-recommends $missing
