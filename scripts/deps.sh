#!/usr/bin/env bash
# Installs every Debian package Seodong needs to build, test and run.
# Idempotent: packages already present are skipped, so run.sh and test.sh can call it every time.
# The browser tests' npm packages (puppeteer-core, axe-core) are not Debian packages:
# tests/test_browser.sh installs them into tests/browser/node_modules on its first run.
set -euo pipefail

PACKAGES=(
    build-essential cmake pkg-config clang-format
    libsqlite3-dev sqlite3 libjansson-dev libcsv-dev libinih-dev libcurl4-openssl-dev python3
    libpocketsphinx-dev pocketsphinx-en-us pocketsphinx pocketsphinx-testdata
    libespeak-ng-dev espeak-ng portaudio19-dev libsndfile1-dev libsamplerate0-dev
    flite sox alsa-utils time
    libmicrohttpd-dev libxml2-dev libsodium-dev curl wrk
    libre-dev librem-dev libspandsp-dev libspeexdsp-dev sip-tester baresip clang
    chromium fonts-noto-cjk nodejs npm
    liblinear-dev fasttext
)

missing=()
for p in "${PACKAGES[@]}"; do
    # Some Node.js builds (NodeSource's nodejs) bring npm with them and conflict with Debian's
    # npm package: a working npm command is enough.
    [ "$p" = npm ] && command -v npm >/dev/null && continue
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    echo "Installing: ${missing[*]}"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}"
fi
