#!/bin/sh
# Build fonts/NotoSansCJKsc-Bold-campaign.otf: Noto Sans CJK SC Bold cut down to the characters the
# campaign shows, so the player and its golden-image tests render the same pixels whatever version of
# fonts-noto-cjk (if any) the machine has. Also writes fonts/OFL.txt (the font's licence).
#
# Needs Debian's fonts-noto-cjk and fonttools (pyftsubset and python3-fonttools):
#     apt-get install -y fonts-noto-cjk fonttools
# Run from anywhere:
#     scripts/make-font-subset.sh
#
# Characters kept:
#   - every character of assets/slogans.txt (or, when the project has none yet, the campaign's
#     attachment 1 at /work/shared/seed/slogans.txt; override with SLOGANS=path);
#   - printable ASCII (U+0020..U+007E);
#   - common CJK / full-width punctuation;
#   - the player's built-in fallback slide text and the words of the posters;
#   - every non-ASCII character in scripts/make-posters.py (the posters' text), so a poster's
#     wording can also be used as a slogan.
# Rerun after changing any of these; the output is deterministic (SOURCE_DATE_EPOCH fixes the
# timestamp in the 'head' table).
#
# Hinting is kept on purpose: without it the file is only about 15% smaller, but FreeType then draws
# the glyphs differently from the full font; with it, text set in the subset is pixel-identical to
# the same text set in Debian's Noto Sans CJK SC Bold (2.004). All OpenType layout features are kept.
set -eu

here=$(cd "$(dirname "$0")/.." && pwd)
ttc=${NOTO_CJK_BOLD_TTC:-/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc}
out="$here/fonts/NotoSansCJKsc-Bold-campaign.otf"
py=/usr/bin/python3

if [ -z "${SLOGANS:-}" ]; then
    if [ -f "$here/assets/slogans.txt" ]; then
        SLOGANS="$here/assets/slogans.txt"
    else
        SLOGANS=/work/shared/seed/slogans.txt
    fi
fi
[ -f "$ttc" ] || { echo "missing $ttc (apt-get install -y fonts-noto-cjk)" >&2; exit 1; }
[ -f "$SLOGANS" ] || { echo "missing slogans file $SLOGANS" >&2; exit 1; }
command -v pyftsubset >/dev/null || { echo "missing pyftsubset (apt-get install -y fonttools)" >&2; exit 1; }

# Find the Simplified Chinese face in the collection by its name instead of trusting its position
# (index 2 in Debian 12's 1:20220127 package: JP, KR, SC, TC, HK, then the Mono faces).
face=$("$py" - "$ttc" <<'EOF'
import sys
from fontTools.ttLib import TTCollection
for i, f in enumerate(TTCollection(sys.argv[1], lazy=True).fonts):
    if f["name"].getDebugName(1) == "Noto Sans CJK SC":
        print(i)
        break
else:
    sys.exit("no 'Noto Sans CJK SC' face in " + sys.argv[1])
EOF
)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The text file handed to pyftsubset: characters only matter, not their order or repetition.
{
    cat "$SLOGANS"
    printf '\n'
    # printable ASCII
    "$py" -c 'print("".join(chr(c) for c in range(0x20, 0x7F)))'
    # common CJK punctuation and full-width forms (the curly quotes are meant literally)
    # shellcheck disable=SC1112
    printf '%s\n' '，。、！？；：“”‘’（）《》〈〉「」『』【】…—–·％～＋－×÷＝＜＞／０１２３４５６７８９　￥¥'
    # the player's built-in fallback slide, footers and poster words
    printf '%s\n' '反诈提醒全民国家中心热线暂无可播放内容正在等待节目单请联系管理员'
    printf '%s\n' '国家反诈中心 全民反诈 反诈热线 96110 预警提示 紧急提醒'
    # everything the poster script draws
    if [ -f "$here/scripts/make-posters.py" ]; then
        "$py" -c 'import sys; print("".join(sorted({c for c in open(sys.argv[1], encoding="utf-8").read() if ord(c) > 0x7F})))' \
            "$here/scripts/make-posters.py"
    fi
} > "$work/text.txt"

mkdir -p "$here/fonts"
SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1640995200} \
pyftsubset "$ttc" --font-number="$face" \
    --text-file="$work/text.txt" \
    --layout-features='*' \
    --hinting --desubroutinize \
    --name-IDs='*' --name-languages='*' \
    --notdef-outline \
    --output-file="$work/subset.otf"

# Give the subset its own family name ("Noto Sans CJK SC Campaign") so that, should it ever sit next
# to the full system font in fontconfig, a lookup of "Noto Sans CJK SC" still finds the complete font
# and the subset is only ever used when it is asked for by file. The licence fields (name IDs 0, 13, 14)
# are kept as they are, as the SIL OFL requires.
SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1640995200} \
"$py" - "$work/subset.otf" "$out" <<'EOF'
import sys
from fontTools.ttLib import TTFont

src, dst = sys.argv[1], sys.argv[2]
font = TTFont(src)
family = "Noto Sans CJK SC Campaign"
full = family + " Bold"
ps = "NotoSansCJKsc-Bold-Campaign"
name = font["name"]
for rec in list(name.names):
    if rec.nameID == 1:
        rec.string = family
    elif rec.nameID == 3:
        rec.string = "2.004;GOOG;" + ps + ";subset"
    elif rec.nameID == 4:
        rec.string = full
    elif rec.nameID == 6:
        rec.string = ps
    elif rec.nameID in (16, 17):
        name.removeNames(nameID=rec.nameID)
cff = font["CFF "].cff
cff.fontNames = [ps]
top = cff.topDictIndex[0]
for attr, value in (("FamilyName", family), ("FullName", full), ("CIDFontName", ps)):
    if hasattr(top, attr):
        setattr(top, attr, value)
font.save(dst)
EOF

# The licence travels with the font (OFL condition 2).
{
    echo "Noto Sans CJK SC (fonts/NotoSansCJKsc-Bold-campaign.otf is a subset of it, renamed"
    echo "\"Noto Sans CJK SC Campaign\"):"
    printf 'Copyright %s\n' "$("$py" -c 'import sys; from fontTools.ttLib import TTFont; print(TTFont(sys.argv[1])["name"].getDebugName(0))' "$out")"
    echo "Noto is a trademark of Google Inc."
    echo
    echo "This Font Software is licensed under the SIL Open Font License, Version 1.1."
    echo "This license is copied below, and is also available with a FAQ at:"
    echo "https://openfontlicense.org"
    echo
    # The licence text as Debian ships it in the package's copyright file, unindented.
    # (the stand-alone "License: SIL-1.1" paragraph: its indented continuation lines).
    awk 'prev == "" && $0 == "License: SIL-1.1" { on = 1; prev = $0; next }
         on && !/^ / { exit }
         on { sub(/^ /, ""); if ($0 == ".") $0 = ""; print }
         { prev = $0 }' /usr/share/doc/fonts-noto-cjk/copyright
} > "$here/fonts/OFL.txt"

echo "face index $face of $ttc"
ls -l "$out" "$here/fonts/OFL.txt"
