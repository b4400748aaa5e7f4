#!/usr/bin/env bash
# Remake assets/fonts/NotoSansSC-Regular-GB2312.ttf (and assets/fonts/OFL.txt)
# from scratch: Noto Sans SC Regular (400) from the npm package
# @expo-google-fonts/noto-sans-sc, subset with fontTools' pyftsubset to
# GB2312 + ASCII + CJK/full-width punctuation + Latin-1 + a few symbols.
#
# Needs: bash, npm, python3 (with venv), network access to npm and PyPI.
# Usage: scripts/make-font-subset.sh            (run from anywhere)
# Everything is downloaded into a temporary directory that is removed at exit.
set -euo pipefail

NPM_PKG="@expo-google-fonts/noto-sans-sc"
NPM_VERSION="0.4.3"
SRC_IN_PKG="400Regular/NotoSansSC_400Regular.ttf"
# sha256 of $SRC_IN_PKG in $NPM_PKG@$NPM_VERSION (npm versions are immutable).
SRC_SHA256="d45f67f0a7c0ca3f256950777ce6a61cc7ce5f9696d02900cbbaac25f8aa7d16"
FONTTOOLS_VERSION="4.68.0"
PYTHON="${PYTHON:-python3}"

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT_DIR="$ROOT/assets/fonts"
OUT_FONT="$OUT_DIR/NotoSansSC-Regular-GB2312.ttf"
OUT_OFL="$OUT_DIR/OFL.txt"

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

echo ">> npm pack $NPM_PKG@$NPM_VERSION" >&2
( cd "$TMP" && npm pack --silent "$NPM_PKG@$NPM_VERSION" >/dev/null )
tar -xzf "$TMP"/*.tgz -C "$TMP"
SRC="$TMP/package/$SRC_IN_PKG"

got="$(sha256sum "$SRC" | cut -d' ' -f1)"
if [[ "$got" != "$SRC_SHA256" ]]; then
    echo "error: $SRC_IN_PKG sha256 is $got, expected $SRC_SHA256" >&2
    exit 1
fi

echo ">> fonttools==$FONTTOOLS_VERSION into a venv" >&2
"$PYTHON" -m venv "$TMP/venv"
"$TMP/venv/bin/pip" install --quiet --disable-pip-version-check "fonttools==$FONTTOOLS_VERSION"

echo ">> character list" >&2
"$TMP/venv/bin/python" - >"$TMP/unicodes.txt" <<'PY'
import sys

cps = set()
# Every valid two-byte GB2312 code (EUC-CN): rows 0xA1-0xF7, cells 0xA1-0xFE.
# This is the GB2312 symbols (rows 1-9) and level 1 + level 2 hanzi.
for hi in range(0xA1, 0xF8):
    for lo in range(0xA1, 0xFF):
        try:
            s = bytes([hi, lo]).decode("gb2312")
        except UnicodeDecodeError:
            continue
        cps.update(ord(c) for c in s)
n_gb2312 = len(cps)
cps.update(range(0x20, 0x7F))      # ASCII printable
cps.update(range(0xA0, 0x100))     # Latin-1 supplement
cps.update(range(0x3000, 0x3040))  # CJK symbols and punctuation
cps.update(range(0xFF00, 0xFFF0))  # half-width and full-width forms
cps.update(ord(c) for c in "‰°±×÷·—…‘’“”")
print(f"GB2312 characters: {n_gb2312}, code points requested: {len(cps)}",
      file=sys.stderr)
print(",".join(f"U+{c:04X}" for c in sorted(cps)))
PY

echo ">> pyftsubset" >&2
mkdir -p "$OUT_DIR"
# Defaults kept on purpose: hinting (the source has almost none: dropping it
# saves 24 bytes), the default OpenType layout features, no timestamp update
# (so the output is byte-for-byte reproducible).
"$TMP/venv/bin/pyftsubset" "$SRC" \
    --unicodes-file="$TMP/unicodes.txt" \
    --no-glyph-names \
    --notdef-outline \
    --name-IDs='*' \
    --output-file="$TMP/subset.ttf"

mv "$TMP/subset.ttf" "$OUT_FONT"
cp "$TMP/package/LICENSE_FONT" "$OUT_OFL"

"$TMP/venv/bin/python" - "$OUT_FONT" <<'PY'
import os, sys
from fontTools.ttLib import TTFont
path = sys.argv[1]
f = TTFont(path)
print(f"{path}: {os.path.getsize(path)} bytes, {f['maxp'].numGlyphs} glyphs, "
      f"{len(f.getBestCmap())} mapped code points, outlines: "
      f"{'glyf' if 'glyf' in f else 'CFF'}")
PY
sha256sum "$OUT_FONT" "$OUT_OFL"
