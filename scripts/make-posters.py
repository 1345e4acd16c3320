#!/usr/bin/python3
"""Draw the campaign's demo posters into assets/posters/.

The posters are the project's own work: every shape is drawn here with Pillow and every word is set in
Noto Sans CJK SC (SIL OFL 1.1) from Debian's fonts-noto-cjk. Nothing is downloaded.

    apt-get install -y python3-pil fonts-noto-cjk
    /usr/bin/python3 scripts/make-posters.py            # writes assets/posters/*
    /usr/bin/python3 scripts/make-posters.py --out DIR  # somewhere else

Posters (themes from the campaign plan's fraud types, see assets/posters/README.md):
    01-shuadan-order-brushing.png          1920x1080  PNG
    02-gongjianfa-safe-account.jpg         1920x1080  JPEG, quality 90
    03-bank-card-renting.webp              1920x1080  WebP, quality 90
    04-links-qr-codes-portrait.png         1080x1920  PNG (lift displays, portrait screens)

Everything is drawn at twice the size and scaled down, which anti-aliases the shapes. Each text run is
checked against the font (no missing glyphs), against the poster's edges and against every other text
run (no overlaps); a failed check stops the script instead of writing a bad poster.
"""

import argparse
import math
import os
import random
import sys

from PIL import Image, ImageDraw, ImageFont

FONT_DIR = "/usr/share/fonts/opentype/noto"
FONT_FILES = {"Bold": "NotoSansCJK-Bold.ttc", "Regular": "NotoSansCJK-Regular.ttc"}
FAMILY = "Noto Sans CJK SC"
S = 2  # supersampling factor
MAX_BYTES = 600 * 1024

# Characters that must not begin a line, and ones that must not end it (Chinese line breaking).
NO_LINE_START = set("，。、！？；：”’）》」』】…—%％·")
NO_LINE_END = set("“‘（《「『【")


def find_face(path, family=FAMILY):
    """Index of `family` in a TrueType/OpenType collection (Debian 12: 2, after JP and KR)."""
    for i in range(32):
        try:
            name = ImageFont.truetype(path, 20, index=i).getname()[0]
        except OSError:
            break
        if name == family:
            return i
    sys.exit(f"make-posters: no '{family}' face in {path} (apt-get install -y fonts-noto-cjk)")


class Fonts:
    def __init__(self):
        self.paths = {}
        self.index = {}
        for weight, file in FONT_FILES.items():
            path = os.path.join(FONT_DIR, file)
            if not os.path.exists(path):
                sys.exit(f"make-posters: missing {path} (apt-get install -y fonts-noto-cjk)")
            self.paths[weight] = path
            self.index[weight] = find_face(path)
        self.cache = {}
        self.cmap = self._load_cmap()

    def _load_cmap(self):
        try:
            from fontTools.ttLib import TTFont
        except ImportError:  # python3-fonttools absent: skip the glyph check
            return None
        cmaps = {}
        for weight, path in self.paths.items():
            font = TTFont(path, fontNumber=self.index[weight], lazy=True)
            cmaps[weight] = set(font.getBestCmap())
        return cmaps

    def get(self, size, weight="Bold"):
        key = (size, weight)
        if key not in self.cache:
            self.cache[key] = ImageFont.truetype(self.paths[weight], round(size * S), index=self.index[weight])
        return self.cache[key]

    def check_glyphs(self, text, weight):
        if self.cmap is None:
            return
        missing = sorted({c for c in text if not c.isspace() and ord(c) not in self.cmap[weight]})
        if missing:
            sys.exit(f"make-posters: font has no glyph for {missing!r} in {text!r}")


FONTS = None


def rgb(hex_colour, alpha=None):
    h = hex_colour.lstrip("#")
    c = tuple(int(h[i:i + 2], 16) for i in (0, 2, 4))
    return c if alpha is None else c + (alpha,)


class Poster:
    """A canvas in poster pixels (1x); drawing happens at S times that size."""

    def __init__(self, w, h, top, bottom=None):
        self.w, self.h = w, h
        self.img = Image.new("RGB", (w * S, h * S), rgb(top))
        if bottom:
            mask = Image.linear_gradient("L").resize((w * S, h * S))
            self.img = Image.composite(Image.new("RGB", self.img.size, rgb(bottom)), self.img, mask)
        self.d = ImageDraw.Draw(self.img, "RGBA")
        self.text_boxes = []  # (box, text) of every text run, in 1x pixels
        self.keep_out = []  # (box, what): areas no checked text may enter (the illustration)

    # --- shapes, coordinates in 1x pixels -------------------------------------------------------------
    @staticmethod
    def _s(box):
        return [v * S for v in box]

    def rect(self, box, fill=None, r=0, outline=None, width=0):
        self.d.rounded_rectangle(self._s(box), radius=r * S, fill=fill, outline=outline, width=round(width * S))

    def ellipse(self, box, fill=None, outline=None, width=0):
        self.d.ellipse(self._s(box), fill=fill, outline=outline, width=round(width * S))

    def circle(self, cx, cy, r, fill=None, outline=None, width=0):
        self.ellipse((cx - r, cy - r, cx + r, cy + r), fill, outline, width)

    def polygon(self, pts, fill=None):
        self.d.polygon([(x * S, y * S) for x, y in pts], fill=fill)

    def line(self, pts, fill, width, round_caps=True):
        self.d.line([(x * S, y * S) for x, y in pts], fill=fill, width=round(width * S), joint="curve")
        if round_caps:
            for x, y in (pts[0], pts[-1]):
                # Pillow's ellipse includes its far edge: shrink by half a pixel to match the line
                self.circle(x, y, width / 2 - 0.5 / S, fill=fill)

    def ring(self, cx, cy, r, fill, width):
        self.circle(cx, cy, r, outline=fill, width=width)

    # --- text ---------------------------------------------------------------------------------------------
    def measure(self, text, size, weight="Bold"):
        font = FONTS.get(size, weight)
        x0, _, x1, _ = font.getbbox(text, anchor="ls")
        return (x1 - x0) / S if text else 0

    def advance(self, text, size, weight="Bold"):
        return FONTS.get(size, weight).getlength(text) / S

    def text(self, x, y, text, size, fill, weight="Bold", anchor="ls", check=True):
        """Draw one line; (x, y) is the anchor point (default: left end of the baseline)."""
        FONTS.check_glyphs(text, weight)
        font = FONTS.get(size, weight)
        self.d.text((x * S, y * S), text, font=font, fill=fill, anchor=anchor)
        b = font.getbbox(text, anchor=anchor)
        box = (x + b[0] / S, y + b[1] / S, x + b[2] / S, y + b[3] / S)
        if check:
            self._register(box, text)
        return box

    def runs(self, x, y, parts, size, weight="Bold", anchor_x="l"):
        """One line made of differently coloured runs [(text, colour), ...], baseline at y."""
        total = sum(self.advance(t, size, weight) for t, _ in parts)
        if anchor_x == "m":
            x -= total / 2
        elif anchor_x == "r":
            x -= total
        boxes = []
        for t, colour in parts:
            boxes.append(self.text(x, y, t, size, colour, weight, check=False))
            x += self.advance(t, size, weight)
        box = (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes),
               max(b[3] for b in boxes))
        self._register(box, "".join(t for t, _ in parts))
        return box

    def reserve(self, box, what):
        """Keep checked text out of `box` (x0, y0, x1, y1), e.g. the area an illustration covers."""
        self.keep_out.append((box, what))

    def _register(self, box, text):
        if box[0] < 0 or box[1] < 0 or box[2] > self.w or box[3] > self.h:
            sys.exit(f"make-posters: text {text!r} leaves the poster: {box}")
        for other, other_text in self.text_boxes + self.keep_out:
            if box[0] < other[2] and other[0] < box[2] and box[1] < other[3] and other[1] < box[3]:
                sys.exit(f"make-posters: text {text!r} {box} overlaps {other_text!r} {other}")
        self.text_boxes.append((box, text))

    def fit(self, text, size, max_w, weight="Bold", min_size=10):
        while size > min_size and self.advance(text, size, weight) > max_w:
            size -= 1
        return size

    def wrap(self, text, size, max_w, weight="Regular"):
        """Break Chinese text into lines no wider than max_w, keeping punctuation where it belongs
        and words written in Latin letters or digits whole. Characters in {braces} stay on one line
        (the braces are not drawn): "{视频}"."""
        # tokens: runs of ASCII letters/digits and {groups} stay together, everything else is one character
        tokens, word, group = [], "", None
        for c in text:
            if group is not None:
                if c == "}":
                    tokens.append(group)
                    group = None
                else:
                    group += c
                continue
            if c == "{":
                if word:
                    tokens.append(word)
                    word = ""
                group = ""
                continue
            if c.isascii() and c.isalnum() or (word and c in ".%"):
                word += c
                continue
            if word:
                tokens.append(word)
                word = ""
            tokens.append(c)
        if word:
            tokens.append(word)
        lines, cur = [], []
        for tok in tokens:
            if tok == "\n":
                lines.append("".join(cur))
                cur = []
                continue
            if cur and self.advance("".join(cur + [tok]), size, weight) > max_w:
                carry = [tok]
                # a line may not start with closing punctuation: take tokens down with it
                while cur and carry[0][0] in NO_LINE_START:
                    carry.insert(0, cur.pop())
                # and may not end with opening punctuation
                while cur and cur[-1][-1] in NO_LINE_END:
                    carry.insert(0, cur.pop())
                if not cur:
                    sys.exit(f"make-posters: cannot wrap {text!r} into {max_w}px")
                lines.append("".join(cur))
                while carry and carry[0] == " ":
                    carry.pop(0)
                cur = carry
            else:
                cur.append(tok)
        if cur:
            lines.append("".join(cur))
        for ln in lines:
            if self.advance(ln, size, weight) > max_w + 0.5:
                sys.exit(f"make-posters: cannot wrap {ln!r} into {max_w}px")
        return lines

    def paragraph(self, x, y, text, size, fill, max_w, leading=1.55, weight="Regular", align="l"):
        """Wrapped text whose first baseline is at y; returns the baseline after the last line."""
        for ln in self.wrap(text, size, max_w, weight):
            ax = {"l": x, "m": x + max_w / 2, "r": x + max_w}[align]
            self.text(ax, y, ln, size, fill, weight, anchor=align + "s")
            y += size * leading
        return y

    # --- output ------------------------------------------------------------------------------------------
    def final(self):
        return self.img.resize((self.w, self.h), Image.LANCZOS)


def rotated_layer(p, size, draw_fn, cx, cy, angle):
    """Draw on a transparent square layer (1x units, supersampled), rotate it and composite it onto the
    poster centred at (cx, cy). draw_fn(draw, s) gets an RGBA ImageDraw and the scale factor."""
    layer = Image.new("RGBA", (size * S, size * S), (0, 0, 0, 0))
    draw_fn(ImageDraw.Draw(layer), S)
    layer = layer.rotate(angle, resample=Image.BICUBIC)
    p.img.paste(layer, (round((cx - size / 2) * S), round((cy - size / 2) * S)), layer)


# ===================================================================================================
# Pictograms
# ===================================================================================================

def bezier(p0, p1, p2, n=24):
    return [((1 - t) ** 2 * p0[0] + 2 * (1 - t) * t * p1[0] + t * t * p2[0],
             (1 - t) ** 2 * p0[1] + 2 * (1 - t) * t * p1[1] + t * t * p2[1])
            for t in (i / n for i in range(n + 1))]


def shield_points(cx, top, w, h):
    x0, x1, y1 = cx - w / 2, cx + w / 2, top + h
    pts = []
    pts += bezier((x0, top + 0.13 * h), (cx - w * 0.22, top + 0.10 * h), (cx, top))
    pts += bezier((cx, top), (cx + w * 0.22, top + 0.10 * h), (x1, top + 0.13 * h))[1:]
    pts += [(x1, top + 0.50 * h)]
    pts += bezier((x1, top + 0.50 * h), (x1 - 0.02 * w, top + 0.86 * h), (cx, y1))[1:]
    pts += bezier((cx, y1), (x0 + 0.02 * w, top + 0.86 * h), (x0, top + 0.50 * h))[1:]
    return pts


def shield(p, cx, top, w, h, fill, rim=None, rim_w=0):
    if rim:
        pts = shield_points(cx, top - rim_w, w + 2 * rim_w, h + 2.2 * rim_w)
        p.polygon(pts, rim)
    p.polygon(shield_points(cx, top, w, h), fill)


def check_mark(p, cx, cy, size, fill, width):
    p.line([(cx - size * 0.45, cy), (cx - size * 0.12, cy + size * 0.33), (cx + size * 0.5, cy - size * 0.35)],
           fill, width)


def cross(p, cx, cy, size, fill, width):
    h = size / 2
    p.line([(cx - h, cy - h), (cx + h, cy + h)], fill, width)
    p.line([(cx - h, cy + h), (cx + h, cy - h)], fill, width)


def prohibit(p, cx, cy, r, width, fill="#E53935"):
    """Red circle with a bar from top-left to bottom-right."""
    p.ring(cx, cy, r, fill, width)
    a = math.radians(45)
    dx, dy = math.cos(a) * (r - width / 2), math.sin(a) * (r - width / 2)
    p.line([(cx - dx, cy - dy), (cx + dx, cy + dy)], fill, width, round_caps=False)


def warning_sign(p, cx, cy, size, fill="#FFC400", edge="#1B1B1B"):
    """Rounded warning triangle with an exclamation mark; (cx, cy) is the triangle's centroid."""
    r = size / math.sqrt(3)
    pts = [(cx + r * math.cos(math.radians(a)), cy + r * math.sin(math.radians(a))) for a in (-90, 30, 150)]
    edge_w = size * 0.09
    p.polygon(pts, edge)
    p.line(pts + [pts[0]], edge, edge_w * 2)
    inner = [(cx + (x - cx) * 0.78, cy + (y - cy) * 0.78) for x, y in pts]
    p.polygon(inner, fill)
    p.line(inner + [inner[0]], fill, edge_w * 0.6)
    # exclamation mark: a bar tapering downwards, then a dot
    top_w, bottom_w = size * 0.095, size * 0.06
    y0, y1 = cy - r * 0.40, cy + r * 0.14
    p.circle(cx, y0, top_w / 2 - 0.5 / S, fill=edge)
    p.circle(cx, y1, bottom_w / 2 - 0.5 / S, fill=edge)
    p.polygon([(cx - top_w / 2, y0), (cx + top_w / 2, y0), (cx + bottom_w / 2, y1), (cx - bottom_w / 2, y1)], edge)
    p.circle(cx, cy + r * 0.37, top_w * 0.58, fill=edge)


def phone(p, x, y, w, h, body="#17202B", screen="#FFFFFF"):
    """A smartphone; returns the screen's box."""
    r = w * 0.14
    p.rect((x, y, x + w, y + h), fill=body, r=r)
    m = w * 0.045
    sx0, sy0, sx1, sy1 = x + m, y + m, x + w - m, y + h - m
    p.rect((sx0, sy0, sx1, sy1), fill=screen, r=r - m)
    # camera notch and home indicator
    p.rect((x + w * 0.36, sy0 + 10, x + w * 0.64, sy0 + 32), fill=body, r=11)
    p.rect((x + w * 0.36, sy1 - 22, x + w * 0.64, sy1 - 14), fill=rgb("#17202B", 90), r=4)
    return sx0, sy0, sx1, sy1


def bubble(p, x, y, w, h, fill, side="l"):
    p.rect((x, y, x + w, y + h), fill=fill, r=min(22, h / 2))
    ty = y + h * 0.5
    if side == "l":
        p.polygon([(x + 2, ty - 12), (x - 14, ty + 2), (x + 2, ty + 14)], fill)
    else:
        p.polygon([(x + w - 2, ty - 12), (x + w + 14, ty + 2), (x + w - 2, ty + 14)], fill)


def avatar(p, cx, cy, r, bg, fg):
    p.circle(cx, cy, r, fill=bg)
    p.circle(cx, cy - r * 0.22, r * 0.36, fill=fg)
    p.d.chord([(cx - r * 0.68) * S, (cy + r * 0.22) * S, (cx + r * 0.68) * S, (cy + r * 1.3) * S], 180, 360,
              fill=fg)


def coin(p, cx, cy, r):
    p.circle(cx, cy, r, fill="#F2A900")
    p.circle(cx, cy, r * 0.8, fill="#FFC928")
    p.text(cx, cy + 1, "¥", round(r * 1.05), "#B26A00", anchor="mm", check=False)


def handset(p, cx, cy, size, fill, angle=0):
    """Classic telephone handset pictogram (earpiece left, mouthpiece right, opening downwards), about
    2*size wide, rotated by `angle` degrees anticlockwise."""
    def draw(d, s):
        c = size * 1.3  # layer centre
        t = size * 0.34  # grip thickness
        rx, ry = size * 0.78, size * 0.62
        ex, ey = c, c + size * 0.30  # centre of the grip's arc
        d.arc([(ex - rx) * s, (ey - ry) * s, (ex + rx) * s, (ey + ry) * s], 200, 340, fill=fill,
              width=round(t * s))
        for a in (200, 340):
            # a rounded end piece hanging from each end of the arc
            px = ex + (rx - t / 2) * math.cos(math.radians(a))
            py = ey + (ry - t / 2) * math.sin(math.radians(a))
            sign = -1 if a == 200 else 1
            x0, x1 = px - size * 0.27 + sign * size * 0.06, px + size * 0.27 + sign * size * 0.06
            d.rounded_rectangle([x0 * s, (py - size * 0.12) * s, x1 * s, (py + size * 0.38) * s],
                                radius=size * 0.14 * s, fill=fill)
    rotated_layer(p, round(size * 2.6), draw, cx, cy, angle)


def bank_card(p, x, y, w, h, colour_a="#1E5BB8", colour_b="#0E3A7E", number="6222  ****  ****  8888"):
    r = h * 0.08
    p.rect((x + 4, y + 10, x + w + 4, y + h + 10), fill=(13, 44, 94, 40), r=r)  # shadow
    p.rect((x, y, x + w, y + h), fill=colour_a, r=r)
    # a darker diagonal band for depth
    band = Image.new("L", (round(w * S), round(h * S)), 0)
    bd = ImageDraw.Draw(band)
    bd.polygon([(w * 0.55 * S, 0), (w * S, 0), (w * S, h * S), (w * 0.25 * S, h * S)], fill=255)
    mask = Image.new("L", band.size, 0)
    ImageDraw.Draw(mask).rounded_rectangle([0, 0, band.size[0] - 1, band.size[1] - 1], radius=r * S, fill=255)
    band = Image.composite(band, Image.new("L", band.size, 0), mask)
    p.img.paste(Image.new("RGB", band.size, rgb(colour_b)), (round(x * S), round(y * S)), band)
    # magnetic-stripe-free front: chip, contactless mark, number, label
    cx0, cy0 = x + w * 0.09, y + h * 0.30
    cw, ch = w * 0.15, h * 0.22
    p.rect((cx0, cy0, cx0 + cw, cy0 + ch), fill="#E8C15A", r=ch * 0.18)
    for i in (1, 2):
        yy = cy0 + ch * i / 3
        p.line([(cx0 + 4, yy), (cx0 + cw - 4, yy)], "#B88A1E", 2.2, round_caps=False)
    p.line([(cx0 + cw / 2, cy0 + 4), (cx0 + cw / 2, cy0 + ch - 4)], "#B88A1E", 2.2, round_caps=False)
    for i in range(3):
        rr = h * (0.05 + i * 0.045)
        bx, by = cx0 + cw + w * 0.07, cy0 + ch / 2
        p.d.arc([(bx - rr) * S, (by - rr) * S, (bx + rr) * S, (by + rr) * S], -50, 50, fill="#FFFFFF",
                width=round(3 * S))
    nsize = round(h * 0.115)
    p.text(x + w * 0.09, y + h * 0.72, number, nsize, "#FFFFFF", "Bold", check=False)
    p.text(x + w * 0.09, y + h * 0.88, "储蓄卡  DEBIT", round(h * 0.07), rgb("#FFFFFF", 200), "Regular",
           check=False)
    p.text(x + w * 0.91, y + h * 0.17, "银行卡", round(h * 0.09), "#FFFFFF", "Bold", anchor="rs", check=False)


def price_tag(p, cx, cy, text, size, angle=0, fill="#FFC400", colour="#1B1B1B"):
    """A swing tag with a hole and a string, like a price label."""
    font = FONTS.get(size, "Bold")
    FONTS.check_glyphs(text, "Bold")
    tw = font.getlength(text) / S
    w, h = tw + size * 1.9, size * 1.9
    side = round(w * 1.25)

    def draw(d, s):
        c = side / 2
        x0, x1, y0, y1 = c - w / 2, c + w / 2, c - h / 2, c + h / 2
        nose = h * 0.45
        d.polygon([((x0 + nose) * s, y0 * s), (x1 * s, y0 * s), (x1 * s, y1 * s), ((x0 + nose) * s, y1 * s),
                   (x0 * s, c * s)], fill=fill)
        hole = size * 0.17
        hx = x0 + nose * 0.75
        d.ellipse([(hx - hole) * s, (c - hole) * s, (hx + hole) * s, (c + hole) * s], fill=(255, 255, 255, 255))
        d.text(((x0 + nose * 1.25 + x1) / 2 * s, c * s), text, font=font, fill=colour, anchor="mm")
    rotated_layer(p, side, draw, cx, cy, angle)


def sim_card(p, x, y, w, h):
    cut = w * 0.22
    p.polygon([(x + 4, y + 8), (x + w - cut + 4, y + 8), (x + w + 4, y + cut + 8), (x + w + 4, y + h + 8),
               (x + 4, y + h + 8)], (13, 44, 94, 40))  # shadow
    p.polygon([(x, y), (x + w - cut, y), (x + w, y + cut), (x + w, y + h), (x, y + h)], "#F5F7FA")
    p.rect((x + w * 0.22, y + h * 0.38, x + w * 0.78, y + h * 0.82), fill="#E8C15A", r=w * 0.06)
    for fx in (0.41, 0.59):
        p.line([(x + w * fx, y + h * 0.38), (x + w * fx, y + h * 0.82)], "#B88A1E", 2, round_caps=False)
    p.line([(x + w * 0.22, y + h * 0.60), (x + w * 0.78, y + h * 0.60)], "#B88A1E", 2, round_caps=False)
    p.text(x + w * 0.5, y + h * 0.27, "SIM", round(w * 0.16), "#5A6B7F", "Bold", anchor="mm", check=False)


def qr_code(p, x, y, size, modules=25, fg="#111111", bg="#FFFFFF", seed=96110):
    """A QR-code-like pattern (finder squares plus random modules). It does not decode to anything."""
    rnd = random.Random(seed)
    quiet = 2
    m = size / (modules + 2 * quiet)
    p.rect((x, y, x + size, y + size), fill=bg, r=m)
    ox, oy = x + quiet * m, y + quiet * m

    def in_finder(i, j):
        return any(fi <= i < fi + 8 and fj <= j < fj + 8
                   for fi, fj in ((0, 0), (modules - 8, 0), (0, modules - 8)))

    for j in range(modules):
        for i in range(modules):
            if not in_finder(i, j) and rnd.random() < 0.47:
                p.rect((ox + i * m, oy + j * m, ox + (i + 1) * m, oy + (j + 1) * m), fill=fg)
    for fi, fj in ((0, 0), (modules - 7, 0), (0, modules - 7)):
        fx, fy = ox + fi * m, oy + fj * m
        p.rect((fx, fy, fx + 7 * m, fy + 7 * m), fill=fg, r=m * 0.8)
        p.rect((fx + m, fy + m, fx + 6 * m, fy + 6 * m), fill=bg, r=m * 0.5)
        p.rect((fx + 2 * m, fy + 2 * m, fx + 5 * m, fy + 5 * m), fill=fg, r=m * 0.4)


def chain_link(p, cx, cy, size, fill, angle=45):
    """Hyperlink pictogram: two overlapping chain links, about 2*size long, at `angle` degrees."""
    def draw(d, s):
        c = size * 1.2
        lw, lh, t = size * 1.2, size * 0.58, size * 0.16
        for dx in (-lw * 0.34, lw * 0.34):
            d.rounded_rectangle([(c + dx - lw / 2) * s, (c - lh / 2) * s, (c + dx + lw / 2) * s, (c + lh / 2) * s],
                                radius=lh / 2 * s, outline=fill, width=round(t * s))
    rotated_layer(p, round(size * 2.4), draw, cx, cy, angle)


def stamp(p, cx, cy, text, size, colour="#E53935", angle=12):
    """A rotated rubber-stamp label."""
    font = FONTS.get(size, "Bold")
    FONTS.check_glyphs(text, "Bold")
    tw = font.getlength(text) / S
    box_w, box_h = tw + size * 0.9, size * 1.55
    side = round(max(box_w, box_h) * 1.3)

    def draw(d, s):
        c = side / 2
        d.rounded_rectangle([(c - box_w / 2) * s, (c - box_h / 2) * s, (c + box_w / 2) * s, (c + box_h / 2) * s],
                            radius=size * 0.25 * s, outline=colour, width=round(size * 0.12 * s),
                            fill=(255, 255, 255, 235))
        d.text((c * s, c * s), text, font=font, fill=colour, anchor="mm")
    rotated_layer(p, side, draw, cx, cy, angle)


# ===================================================================================================
# Shared poster furniture
# ===================================================================================================

def header(p, x, y, colour, accent, tag_fill, tag_text_colour, tag="公益宣传"):
    """Small shield emblem + "全民反诈" + a tag, top left."""
    shield(p, x + 22, y, 44, 52, accent)
    check_mark(p, x + 22, y + 24, 22, tag_text_colour if accent == tag_fill else colour, 5)
    p.text(x + 60, y + 42, "全民反诈", 38, colour)
    tx = x + 60 + p.advance("全民反诈", 38) + 22
    tw = p.advance(tag, 26, "Bold")
    p.rect((tx, y + 8, tx + tw + 28, y + 50), fill=tag_fill, r=21)
    p.text(tx + 14, y + 39, tag, 26, tag_text_colour, "Bold")


def hotline(p, x, mid, fill, text_colour, accent, scale=1.0, align="r"):
    """Handset badge, two label lines and the number 96110 as one group, vertically centred on `mid`;
    x is the group's right end (align="r") or centre (align="m")."""
    label1, label2 = "国家反诈预警劝阻专线", "来电务必接听"
    s1, s2, sn, r = round(24 * scale), round(32 * scale), round(84 * scale), 34 * scale
    label_w = max(p.advance(label1, s1, "Regular"), p.advance(label2, s2, "Bold"))
    num_w = p.advance("96110", sn)
    gap1, gap2 = 20 * scale, 24 * scale
    total = 2 * r + gap1 + label_w + gap2 + num_w
    x0 = x - total if align == "r" else x - total / 2
    p.circle(x0 + r, mid, r, fill=accent)
    handset(p, x0 + r, mid, r * 0.62, fill, angle=135)
    lx = x0 + 2 * r + gap1
    p.text(lx, mid - 6 * scale, label1, s1, text_colour, "Regular")
    p.text(lx, mid + 34 * scale, label2, s2, text_colour, "Bold")
    p.text(lx + label_w + gap2, mid + sn * 0.36, "96110", sn, accent)


def footer(p, fill, text_colour, accent, top=None, slogan="你我同心 反诈同行"):
    """Bottom band: campaign name and slogan, and the national anti-fraud hotline 96110."""
    top = p.h - 120 if top is None else top
    p.rect((0, top, p.w, p.h), fill=fill)
    mid = (top + p.h) / 2
    if p.w > p.h:
        margin = 110
        p.text(margin, mid + 19, "全民反诈", 54, text_colour)
        x = margin + p.advance("全民反诈", 54) + 28
        p.rect((x, mid - 24, x + 3, mid + 24), fill=rgb("#FFFFFF", 110))
        p.text(x + 28, mid + 13, slogan, 36, text_colour, "Regular")
        hotline(p, p.w - margin, mid, fill, text_colour, accent)
    else:
        # portrait: two rows, centred
        p.text(p.w / 2, top + 82, "全民反诈　" + slogan, 40, text_colour, "Bold", anchor="ms")
        hotline(p, p.w / 2, top + 165, fill, text_colour, accent, scale=1.1, align="m")


def kicker(p, x, y, text, fill, colour, size=34):
    """A pill-shaped label above a headline; y is the pill's top. Returns its bottom."""
    w = p.advance(text, size)
    h = size * 1.6
    p.rect((x, y, x + w + size * 1.2, y + h), fill=fill, r=h / 2)
    p.text(x + size * 0.6, y + h / 2 + size * 0.36, text, size, colour)
    return y + h


def tip_list(p, x, y, items, size, colour, icon, icon_fill, icon_fg, max_w, gap=1.9):
    """Rows with a round icon and a line of text; y is the first row's centre. icon: "cross", "check",
    "alert" or a list with one of those per row."""
    r = size * 0.62
    icons = icon if isinstance(icon, list) else [icon] * len(items)
    for item, kind in zip(items, icons):
        p.circle(x + r, y, r, fill=icon_fill)
        if kind == "cross":
            cross(p, x + r, y, r * 0.85, icon_fg, size * 0.13)
        elif kind == "alert":
            p.line([(x + r, y - r * 0.5), (x + r, y + r * 0.12)], icon_fg, size * 0.14)
            p.circle(x + r, y + r * 0.48, size * 0.085, fill=icon_fg)
        else:
            check_mark(p, x + r, y + size * 0.02, r * 1.25, icon_fg, size * 0.13)
        tx = x + 2 * r + size * 0.55
        fs = p.fit(item, size, max_w - (tx - x), "Bold")
        p.text(tx, y + fs * 0.36, item, fs, colour, "Bold")
        y += size * gap
    return y


def soft_circles(p, specs):
    for cx, cy, r, colour in specs:
        p.circle(cx, cy, r, fill=colour)


# ===================================================================================================
# The posters
# ===================================================================================================

def poster_shuadan():
    """(1) Order brushing: 刷单就是诈骗. Red, yellow headline, a phone with a brushing-job chat."""
    p = Poster(1920, 1080, "#D32F2F", "#9E1B1B")
    soft_circles(p, [(1440, 520, 440, rgb("#FFFFFF", 14)), (1440, 520, 330, rgb("#FFFFFF", 14))])
    header(p, 110, 56, "#FFFFFF", "#FFD54F", "#FFD54F", "#8E1616", tag="反诈提醒")

    x, col_w = 110, 1000
    kb = kicker(p, x, 176, "警惕 · 兼职刷单类诈骗", "#FFFFFF", "#B71C1C")
    hs = 156
    p.text(x - 6, kb + 30 + hs * 0.88, "刷单就是诈骗", hs, "#FFE082")
    y = kb + 30 + hs * 0.88 + 86
    p.runs(x, y, [("刷单刷信誉 ", "#FFFFFF"), ("100%", "#FFE082"), ("是诈骗 · 刷单本身就违法", "#FFFFFF")], 50)
    p.rect((x, y + 34, x + 120, y + 42), fill="#FFE082", r=4)
    y = p.paragraph(x, y + 100, "“在家动动手指，日赚几百”“先垫付，后返佣”：先用小额{返利}骗取{信任}，"
                    "再以“任务卡单”“连单未完成”为由诱你不断{垫钱}，最后拉黑失联。", 34, rgb("#FFFFFF", 235),
                    col_w - 40, leading=1.6)
    tip_list(p, x, y + 24, ["要求先垫钱的网络兼职，一律是诈骗", "不下载陌生App，不进陌生“任务群”"], 36,
             "#FFFFFF", "cross", "#FFE082", "#B71C1C", col_w)

    # illustration: phone with a brushing-job chat, coins, a warning sign
    p.reserve((1160, 130, 1860, 950), "illustration")
    px, py, pw, ph = 1200, 150, 390, 760
    sx0, sy0, sx1, sy1 = phone(p, px, py, pw, ph)
    p.rect((sx0, sy0 + 44, sx1, sy0 + 116), fill="#F1F3F6")
    p.text((sx0 + sx1) / 2, sy0 + 92, "兼职返利群 (498)", 25, "#2B3440", anchor="ms", check=False)
    chats = [("l", ["高薪兼职 在家刷单", "日赚300-500元"], "#F1F3F6", "#2B3440"),
             ("r", ["已垫付 ¥5000"], "#95EC69", "#1D3B12"),
             ("l", ["任务卡单！需再充值", "¥20000 才能提现"], "#FFE3E3", "#C62828"),
             ("r", ["钱呢？怎么退不了？"], "#95EC69", "#1D3B12")]
    cy = sy0 + 136
    for side, lines, bg, fg in chats:
        bw = max(p.advance(t, 25, "Regular") for t in lines) + 40
        bh = 26 + 38 * len(lines)
        ax = sx0 + 70 if side == "l" else sx1 - 24 - bw
        if side == "l":
            avatar(p, sx0 + 38, cy + 24, 20, "#CFD8DC", "#FFFFFF")
        bubble(p, ax, cy, bw, bh, bg, side)
        for i, t in enumerate(lines):
            p.text(ax + 20, cy + 44 + 38 * i, t, 25, fg, "Regular", check=False)
        cy += bh + 22
    notice = "你已被群主移出群聊"
    nw = p.advance(notice, 21, "Regular") + 28
    p.rect(((sx0 + sx1 - nw) / 2, cy, (sx0 + sx1 + nw) / 2, cy + 38), fill="#E3E6EA", r=19)
    p.text((sx0 + sx1) / 2, cy + 27, notice, 21, "#7A8594", "Regular", anchor="ms", check=False)
    # message input bar
    p.rect((sx0, sy1 - 96, sx1, sy1 - 40), fill="#F1F3F6")
    p.rect((sx0, sy1 - 80, sx1, sy1), fill="#F1F3F6", r=pw * 0.14 - pw * 0.045)
    p.rect((sx0 + 18, sy1 - 80, sx1 - 110, sy1 - 36), fill="#FFFFFF", r=10)
    p.rect((sx1 - 96, sy1 - 80, sx1 - 18, sy1 - 36), fill="#2EB872", r=10)
    p.text(sx1 - 57, sy1 - 49, "发送", 21, "#FFFFFF", anchor="ms", check=False)
    coin(p, 1735, 270, 48)
    coin(p, 1810, 420, 30)
    coin(p, 1690, 470, 36)
    warning_sign(p, 1705, 770, 250)
    footer(p, "#6D1010", "#FFFFFF", "#FFD54F")
    return p


def poster_gongjianfa():
    """(2) Fake police/prosecutors/courts and the "safe account". Navy, a phone ringing from "the police"."""
    p = Poster(1920, 1080, "#0D2C5E", "#071A3B")
    soft_circles(p, [(1490, 480, 430, rgb("#4F8EF7", 22)), (1490, 480, 320, rgb("#4F8EF7", 22))])
    header(p, 110, 56, "#FFFFFF", "#4F8EF7", "#E53935", "#FFFFFF", tag="反诈提醒")

    x, col_w = 110, 1060
    kb = kicker(p, x, 176, "警惕 · 冒充公检法类诈骗", "#E53935", "#FFFFFF")
    hs = p.fit("公检法不会电话办案", 116, col_w - 60)
    y1 = kb + 28 + hs * 0.88
    p.text(x - 4, y1, "公检法不会电话办案", hs, "#FFFFFF")
    y2 = y1 + hs * 1.22
    p.runs(x - 4, y2, [("安全账户", "#FFD54F"), ("根本不存在", "#FFFFFF")], hs)
    p.rect((x, y2 + 40, x + 120, y2 + 48), fill="#FFD54F", r=4)
    y = p.paragraph(x, y2 + 106, "自称警察、检察官、法官，说你“涉嫌洗钱”“被通缉”，要你{视频}“做笔录”、"
                    "下载会议软件，再把钱转进“安全账户”接受{调查}。这就是诈骗，请立即挂断！", 34,
                    rgb("#FFFFFF", 235), col_w - 60, leading=1.6)
    tip_list(p, x, y + 24, ["公检法机关不会通过电话、微信办案", "不会网上发通缉令，不会要求转账"], 36,
             "#FFFFFF", "check", "#4F8EF7", "#FFFFFF", col_w)

    # illustration: incoming-call screen, a "是诈骗" stamp, a shield
    p.reserve((1180, 130, 1810, 950), "illustration")
    px, py, pw, ph = 1330, 150, 380, 740
    sx0, sy0, sx1, sy1 = phone(p, px, py, pw, ph, screen="#23354F")
    mx = (sx0 + sx1) / 2
    p.text(mx, sy0 + 110, "来电", 26, rgb("#FFFFFF", 170), "Regular", anchor="ms", check=False)
    avatar(p, mx, sy0 + 210, 64, "#3B5275", "#9FB3CE")
    p.text(mx, sy0 + 330, "“XX市公安局”", 34, "#FFFFFF", anchor="ms", check=False)
    p.text(mx, sy0 + 376, "您涉嫌一起洗钱案件", 24, rgb("#FFFFFF", 190), "Regular", anchor="ms", check=False)
    # answer / hang-up buttons
    for bx, colour, ang in ((sx0 + 80, "#E53935", 0), (sx1 - 80, "#2EB872", 135)):
        p.circle(bx, sy1 - 110, 44, fill=colour)
        handset(p, bx, sy1 - 110, 24, "#FFFFFF", angle=ang)
    p.text(sx0 + 80, sy1 - 40, "挂断", 22, "#FFFFFF", "Regular", anchor="ms", check=False)
    p.text(sx1 - 80, sy1 - 40, "接听", 22, "#FFFFFF", "Regular", anchor="ms", check=False)
    stamp(p, mx + 20, sy0 + 455, "是诈骗", 58, angle=14)
    shield(p, 1265, 600, 190, 225, "#1E63D6", rim="#FFFFFF", rim_w=9)
    check_mark(p, 1265, 705, 92, "#FFFFFF", 18)
    footer(p, "#051330", "#FFFFFF", "#FFD54F")
    return p


def poster_bank_card():
    """(3) Renting out / selling bank cards. Light background, a card under a red prohibition sign."""
    p = Poster(1920, 1080, "#F7F9FC", "#E3EAF4")
    soft_circles(p, [(1480, 530, 420, rgb("#1E5BB8", 16)), (1480, 530, 365, rgb("#1E5BB8", 14))])
    header(p, 110, 56, "#0D2C5E", "#1E5BB8", "#C62828", "#FFFFFF", tag="“断卡”行动")

    x, col_w = 110, 1040
    kb = kicker(p, x, 176, "警惕 · 出租出售银行卡", "#0D2C5E", "#FFFFFF")
    hs = 128
    y1 = kb + 28 + hs * 0.88
    p.text(x - 6, y1, "出租出售银行卡", hs, "#0D2C5E")
    y2 = y1 + hs * 1.2
    p.text(x - 6, y2, "是违法犯罪", hs, "#C62828")
    p.rect((x, y2 + 40, x + 120, y2 + 48), fill="#C62828", r=4)
    y = p.paragraph(x, y2 + 106, "把银行卡、手机卡、支付账户和收款码出租、出借、出售给{他人}，"
                    "就是在为电信网络诈骗转账洗钱“递刀子”。卡是你的，{责任}也是你的。", 34, "#26354A",
                    col_w - 60, leading=1.6)
    tip_list(p, x, y + 24, ["情节严重的，以帮助信息网络犯罪活动罪追究刑责", "不出租、不出借、不出售 银行卡和手机卡"],
             36, "#0D2C5E", ["alert", "cross"], "#C62828", "#FFFFFF", col_w)

    # illustration: a bank card and a SIM card inside a prohibition sign, a "for rent" price tag
    p.reserve((1160, 130, 1860, 950), "illustration")
    cx, cy, r = 1480, 530, 310
    p.circle(cx, cy, r, fill="#FFFFFF")
    bank_card(p, cx - 250, cy - 170, 430, 270)
    sim_card(p, cx + 95, cy + 10, 120, 160)
    prohibit(p, cx, cy, r, 44)
    price_tag(p, 1725, 245, "出租 ¥500/月", 34, angle=-14)
    footer(p, "#0D2C5E", "#FFFFFF", "#FFD54F")
    return p


def poster_links_qr():
    """(4, portrait for lift displays) Unknown links and QR codes. Blue, a phone with a crossed QR code."""
    p = Poster(1080, 1920, "#0B3D91", "#06225A")
    soft_circles(p, [(540, 560, 430, rgb("#FFFFFF", 12)), (540, 560, 320, rgb("#FFFFFF", 12))])
    header(p, 70, 60, "#FFFFFF", "#FFD54F", "#FFD54F", "#0B3D91", tag="反诈提醒")

    # illustration
    p.reserve((60, 170, 1020, 980), "illustration")
    px, py, pw, ph = 330, 190, 420, 760
    sx0, sy0, sx1, sy1 = phone(p, px, py, pw, ph)
    mx = (sx0 + sx1) / 2
    p.text(mx, sy0 + 96, "扫码领取退款", 30, "#2B3440", anchor="ms", check=False)
    qr_code(p, mx - 150, sy0 + 140, 300)
    p.rect((sx0 + 40, sy0 + 480, sx1 - 40, sy0 + 540), fill="#E8F0FE", r=14)
    p.text(sx0 + 60, sy0 + 520, "http://tui-kuan.xx/a8", 22, "#1A56C8", "Regular", check=False)
    p.rect((sx0 + 40, sy0 + 570, sx1 - 40, sy0 + 640), fill="#FF6A3D", r=35)
    p.text(mx, sy0 + 616, "立即理赔 ¥300", 28, "#FFFFFF", anchor="ms", check=False)
    cross(p, mx, sy0 + 290, 330, rgb("#E53935", 235), 40)
    # side badges: chain link and "group chat" prohibited
    for bx, by, kind in ((190, 420, "link"), (890, 700, "chat")):
        p.circle(bx, by, 96, fill="#FFFFFF")
        if kind == "link":
            chain_link(p, bx, by, 66, "#0B3D91")
        else:
            bubble(p, bx - 52, by - 42, 104, 70, "#0B3D91", "l")
            for k in (-26, 0, 26):
                p.circle(bx + k, by - 7, 7, fill="#FFFFFF")
        prohibit(p, bx, by, 96, 16)

    y = 1110
    for line in ("不明链接不点", "不明二维码不扫"):
        p.text(p.w / 2, y, line, 112, "#FFE082", anchor="ms")
        y += 145
    y += 10
    tips = ["不明聊天群不进", "不明微信不加"]
    r = 24
    gap = 60
    widths = [2 * r + 16 + p.advance(t, 44) for t in tips]
    total = sum(widths) + gap
    x = (p.w - total) / 2
    for t, w in zip(tips, widths):
        p.circle(x + r, y - 15, r, fill="#FFE082")
        cross(p, x + r, y - 15, r * 0.8, "#0B3D91", 6)
        p.text(x + 2 * r + 16, y, t, 44, "#FFFFFF")
        x += w + gap
    p.paragraph(90, y + 100, "“退款”“理赔”“中奖”“领补贴”的链接和二维码，\n可能是钓鱼网站，"
                "会盗取你的银行卡号和验证码。", 36, rgb("#FFFFFF", 235), p.w - 180, leading=1.6, align="m")
    footer(p, "#041A45", "#FFFFFF", "#FFD54F", top=p.h - 250)
    return p


POSTERS = [
    ("01-shuadan-order-brushing.png", poster_shuadan, {"format": "PNG", "optimize": True}),
    ("02-gongjianfa-safe-account.jpg", poster_gongjianfa,
     {"format": "JPEG", "quality": 90, "optimize": True, "progressive": False, "subsampling": "4:4:4"}),
    ("03-bank-card-renting.webp", poster_bank_card, {"format": "WEBP", "quality": 90, "method": 6}),
    ("04-links-qr-codes-portrait.png", poster_links_qr, {"format": "PNG", "optimize": True}),
]


def save(img, path, opts):
    opts = dict(opts)
    img.save(path, **opts)
    if opts["format"] == "PNG" and os.path.getsize(path) > MAX_BYTES:
        # flat-colour artwork: a 256-colour palette is visually lossless and much smaller
        img.quantize(256, method=Image.MEDIANCUT, dither=Image.FLOYDSTEINBERG).save(path, **opts)
    size = os.path.getsize(path)
    if size > MAX_BYTES:
        sys.exit(f"make-posters: {path} is {size} bytes, more than {MAX_BYTES}")
    return size


def main():
    global FONTS
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=os.path.join(here, "assets", "posters"), help="output folder")
    ap.add_argument("--only", help="build only posters whose file name contains this")
    args = ap.parse_args()
    FONTS = Fonts()
    os.makedirs(args.out, exist_ok=True)
    for name, build, opts in POSTERS:
        if args.only and args.only not in name:
            continue
        img = build().final()
        path = os.path.join(args.out, name)
        size = save(img, path, opts)
        print(f"{path}  {img.width}x{img.height}  {size // 1024} KB")
    print(f"font: {FONTS.paths['Bold']} face {FONTS.index['Bold']} ({FAMILY})")


if __name__ == "__main__":
    main()
