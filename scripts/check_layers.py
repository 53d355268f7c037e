#!/usr/bin/env python3
"""check_layers.py - fails when a file of src/ reaches into a layer it may not use.

The layers (src/LAYER/, each a CMake library) and what each may include:

    base      libc, inih
    store     base; SQLite, libpq (the shared store on PostgreSQL)
    core      base, store; jansson, libcsv, liblinear, libsodium (the engine: no network I/O)
    services  base, store, core; libcurl, jansson, libxml2
    speech    base; PocketSphinx, eSpeak NG, PortAudio, libsndfile, libsamplerate
    voice     base, store, core, speech
    phone     base, store, core, speech, voice; libre, spandsp, speexdsp
    web       base, store, core; libmicrohttpd, jansson, libxml2, libsodium, libcsv
    cli       everything

Front ends (voice, phone, web) never include each other, and nothing includes cli. CMake's
include directories already refuse most of it (a layer sees only the folders of the layers it
links); this also checks what they cannot: the packages' headers, which all live in
/usr/include, and that src/ has no file at its top and a README.md in every folder.

Usage: scripts/check_layers.py [ROOT]. Prints one line per violation; exit 1 when any.
"""
import os
import re
import sys

LAYERS = {
    "base": ([], ["ini.h"]),
    "store": (["base"], ["sqlite3.h", "libpq-fe.h"]),
    "core": (["base", "store"], ["jansson.h", "csv.h", "linear.h", "sodium.h"]),
    "services": (["base", "store", "core"], ["curl/", "jansson.h", "libxml/"]),
    "speech": (["base"], ["pocketsphinx.h", "sphinxbase/", "espeak-ng/", "portaudio.h",
                          "sndfile.h", "samplerate.h"]),
    "voice": (["base", "store", "core", "speech"], []),
    "phone": (["base", "store", "core", "speech", "voice"],
              ["re.h", "re_", "rem.h", "rem_", "spandsp", "speex/"]),
    "web": (["base", "store", "core"],
            ["microhttpd.h", "jansson.h", "libxml/", "sodium.h", "sodium/", "csv.h"]),
    "cli": (["base", "store", "core", "services", "speech", "voice", "phone", "web"],
            ["jansson.h", "sodium.h"]),
}
# Headers of the packages above: an angle include starting with one of these is a package's.
PACKAGE_HEADERS = sorted({h for _, hs in LAYERS.values() for h in hs})


def layer_headers(src):
    """header name -> layer, for every header in a layer folder."""
    owner = {}
    for layer in LAYERS:
        for name in os.listdir(os.path.join(src, layer)):
            if name.endswith(".h"):
                owner[name] = layer
    return owner


def check_file(path, layer, owner):
    below, packages = LAYERS[layer]
    problems = []
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            m = re.match(r'\s*#\s*include\s+([<"])([^>"]+)[>"]', line)
            if not m:
                continue
            quoted, header = m.group(1) == '"', m.group(2)
            where = "%s:%d" % (path, number)
            if quoted:
                theirs = owner.get(os.path.basename(header))
                if theirs and theirs != layer and theirs not in below:
                    problems.append("%s: %s includes %s, a header of %s; %s may use only %s"
                                    % (where, layer, header, theirs, layer,
                                       ", ".join(below) or "libc"))
            elif any(header.startswith(p) for p in PACKAGE_HEADERS) and \
                    not any(header.startswith(p) for p in packages):
                problems.append("%s: %s includes <%s>, a package another layer owns"
                                % (where, layer, header))
    return problems


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..")
    src = os.path.join(root, "src")
    problems = []
    for name in sorted(os.listdir(src)):
        path = os.path.join(src, name)
        if os.path.isfile(path):
            problems.append("src/%s: a file at the top of src/; it belongs in a layer folder" % name)
        elif name not in LAYERS:
            problems.append("src/%s/: not a layer this script knows (%s)" % (name, ", ".join(LAYERS)))
        elif not os.path.isfile(os.path.join(path, "README.md")):
            problems.append("src/%s/: no README.md saying what the layer does and may include" % name)
    owner = layer_headers(src)
    for layer in LAYERS:
        folder = os.path.join(src, layer)
        for name in sorted(os.listdir(folder)):
            if name.endswith((".c", ".h")):
                problems += check_file(os.path.join(folder, name), layer, owner)
    for p in problems:
        print(p.replace(root.rstrip("/") + "/", ""))
    if problems:
        print("check_layers: %d include(s) break the layers (the table is at the top of "
              "scripts/check_layers.py)" % len(problems), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
