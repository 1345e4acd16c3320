"""The golden slogan lines (tests/golden/slogan-lines.txt), checked against a segmentation we trust
besides the ICU dictionary the player uses: every line break between two CJK characters must be a
word boundary of jieba's dictionary segmentation, jieba.cut(text, HMM=False). The HMM is off because
it guesses words the dictionary lacks, and guesses wrong for slogans (群不进).

Reads only the two text files; needs python3-jieba (Debian), no player binary."""

import os
import re
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE_DIR = os.path.realpath(os.environ.get("SIGNAGE_SOURCE_DIR", os.path.join(HERE, "..", "..")))
GOLDEN = os.path.join(SOURCE_DIR, "tests", "golden", "slogan-lines.txt")
SLOGANS = os.path.join(SOURCE_DIR, "tests", "golden", "campaign-slogans.txt")

CANVAS = re.compile(r"^== (\d+)x(\d+) .*==$")
LAYOUT = re.compile(r"^(\d+) px: (.+)$")
SPACES = " \u3000"

try:
    import jieba
    jieba.setLogLevel(60)  # no "Building prefix dict" chatter
except ImportError:
    jieba = None


def is_cjk(c):
    o = ord(c)
    return 0x3400 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF or 0x20000 <= o <= 0x3FFFD


def read_slogans():
    with open(SLOGANS, encoding="utf-8") as f:
        return [line.rstrip("\r\n") for line in f if line.strip() and not line.startswith("#")]


def read_golden():
    """{(width, height): [(font size, [lines])]} in file order."""
    canvases, current = {}, None
    with open(GOLDEN, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\r\n")
            if not line or line.startswith("#"):
                continue
            m = CANVAS.match(line)
            if m:
                current = canvases.setdefault((int(m.group(1)), int(m.group(2))), [])
                continue
            m = LAYOUT.match(line)
            if not m or current is None:
                raise ValueError(f"{GOLDEN}: cannot read {line!r}")
            current.append((int(m.group(1)), m.group(2).split(" | ")))
    return canvases


def line_breaks(text, lines):
    """[(index in text where a line after the first starts, whether a space was dropped there)];
    raises ValueError when the lines are not the text."""
    pos, breaks = 0, []

    def skip_spaces():
        nonlocal pos
        start = pos
        while pos < len(text) and text[pos] in SPACES:
            pos += 1
        return pos > start

    skip_spaces()
    for n, line in enumerate(lines):
        if n > 0:
            at = pos
            breaks.append((at, skip_spaces()))
        for c in line:
            if c in SPACES:
                if not skip_spaces():
                    raise ValueError(f"{lines!r} has a space {text!r} has not")
            elif pos < len(text) and text[pos] == c:
                pos += 1
            else:
                raise ValueError(f"{lines!r} is not {text!r}")
    skip_spaces()
    if pos != len(text):
        raise ValueError(f"{lines!r} leaves out the end of {text!r}")
    return breaks


def jieba_boundaries(text):
    """Indexes in text where jieba's dictionary segmentation starts a word."""
    bounds, pos = set(), 0
    for word in jieba.cut(text, HMM=False):
        bounds.add(pos)
        pos += len(word)
    bounds.add(pos)
    return bounds


@unittest.skipIf(jieba is None, "python3-jieba is not installed (scripts/setup.sh installs it)")
class SloganBreaksTest(unittest.TestCase):
    def test_golden_names_every_slogan_on_every_canvas(self):
        slogans = read_slogans()
        self.assertEqual(len(slogans), 20)
        canvases = read_golden()
        self.assertEqual(sorted(canvases), sorted([(1920, 1080), (1080, 1920), (1280, 720), (600, 1080)]))
        for canvas, layouts in canvases.items():
            self.assertEqual(len(layouts), len(slogans), f"{canvas}: one layout a slogan")

    def test_every_break_between_cjk_characters_is_a_jieba_word_boundary(self):
        slogans = read_slogans()
        bad = []
        for (w, h), layouts in read_golden().items():
            for text, (size, lines) in zip(slogans, layouts):
                bounds = jieba_boundaries(text)
                for at, at_space in line_breaks(text, lines):
                    if at_space or not (0 < at < len(text)) or not (is_cjk(text[at - 1]) and is_cjk(text[at])):
                        continue
                    if at not in bounds:
                        words = "|".join(jieba.cut(text, HMM=False))
                        bad.append(f"{w}x{h} {size} px: {text[:at]}|{text[at:]}  (jieba: {words})")
        self.assertEqual(bad, [], "breaks inside a jieba word:\n" + "\n".join(bad))


if __name__ == "__main__":
    unittest.main()
