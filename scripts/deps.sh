#!/usr/bin/env bash
# Installs every Debian package Seodong needs to build, test and run.
# Idempotent: packages already present are skipped, so run.sh and test.sh can call it every time.
# Then the browser tests' npm packages (puppeteer-core, axe-core), which are not Debian packages.
set -euo pipefail

PACKAGES=(
    build-essential cmake pkg-config clang-format
    libsqlite3-dev sqlite3 libjansson-dev libcsv-dev libinih-dev libcurl4-openssl-dev python3
    libpocketsphinx-dev pocketsphinx-en-us pocketsphinx pocketsphinx-testdata
    irstlm sphinxbase-utils
    libespeak-ng-dev espeak-ng portaudio19-dev libsndfile1-dev libsamplerate0-dev
    flite sox alsa-utils time
    libmicrohttpd-dev libxml2-dev libsodium-dev curl wrk
    libre-dev librem-dev libspandsp-dev libspeexdsp-dev sip-tester baresip clang
    chromium fonts-noto-cjk nodejs npm
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

# The browser tests' npm packages, exactly as tests/browser/package-lock.json pins them (npm ci),
# into tests/browser/node_modules, which git ignores: Node resolves a test script's imports from
# the script's own folder upwards (NODE_PATH does not apply to ES modules), and that folder
# outlives `rm -rf build` and serves both builds. Installed again only when the lock changes:
# node_modules/.seodong-lock is the copy of the lock that was installed.
BROWSER="$(cd "$(dirname "$0")/../tests/browser" && pwd)"
if ! cmp -s "$BROWSER/package-lock.json" "$BROWSER/node_modules/.seodong-lock"; then
    echo "Installing the browser tests' npm packages (npm ci in $BROWSER)"
    (cd "$BROWSER" && npm ci --no-audit --no-fund --loglevel=error)
    cp "$BROWSER/package-lock.json" "$BROWSER/node_modules/.seodong-lock"
fi
