#!/usr/bin/env bash
# Installs every Debian package Seodong needs to build, test and run.
# Idempotent: packages already present are skipped, so run.sh and test.sh can call it every time;
# with everything installed it does nothing and says nothing, whoever runs it.
# Installing needs root: as root it runs apt-get, with sudo it asks sudo. Without either it
# prints the one apt-get line for an administrator to run as root, and exits 2.
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
    libre-dev librem-dev libspandsp-dev libspeexdsp-dev sip-tester baresip clang libcap2-bin
    chromium fonts-noto-cjk nodejs npm
    liblinear-dev fasttext
    postgresql libpq-dev
)

missing=()
for p in "${PACKAGES[@]}"; do
    # Some Node.js builds (NodeSource's nodejs) bring npm with them and conflict with Debian's
    # npm package: a working npm command is enough.
    [ "$p" = npm ] && command -v npm >/dev/null && continue
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    SUDO=()
    if [ "$(id -u)" -ne 0 ]; then
        if ! command -v sudo >/dev/null; then
            cat >&2 <<EOF
scripts/deps.sh: Seodong needs Debian packages that are not installed, and installing them
needs root: $(id -un) is not root and this machine has no sudo. Ask the administrator to run,
as root:

    apt-get update && apt-get install -y ${missing[*]}

then run this command again.
EOF
            exit 2
        fi
        SUDO=(sudo)
    fi
    echo "Installing: ${missing[*]}"
    "${SUDO[@]}" apt-get update -qq
    "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
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

# sipp sends RFC 4733 key events (play_dtmf) and recorded audio through a raw socket, which only
# root may open unless the binary has the capability; with it, an ordinary user can run the
# keypad call of tests/test_ivr.sh (without it, that test says the call was not run, and why).
# Only root can grant it; setcap is idempotent, and a sipp upgrade that drops it gets it back.
if [ "$(id -u)" -eq 0 ]; then
    PATH=$PATH:/usr/sbin:/sbin # getcap and setcap
    sipp=$(command -v sipp)
    getcap "$sipp" | grep -q cap_net_raw || setcap cap_net_raw+ep "$sipp" ||
        echo "deps.sh: could not give $sipp cap_net_raw: only root can run test_ivr's keypad call" >&2
fi
