#!/usr/bin/python3
"""Write a JPEG test fixture whose pixels are stored rotated and whose EXIF Orientation tag says how to
turn them upright.

    /usr/bin/python3 scripts/make-exif-fixture.py OUT.jpg                   # Orientation 6
    /usr/bin/python3 scripts/make-exif-fixture.py OUT.jpg --orientation 8   # any of 1..8

Needs Debian's python3-pil. Tests call it at test time, so no binary fixture is kept in the repository.

What "upright" looks like (the image as a viewer that honours EXIF shows it, whatever the orientation):

    200 px wide x 100 px tall
    +--------------------------------------------+
    |  red    (#FF0000)  rows 0..24, full width  |
    +---------+----------------------------------+
    |  blue   (#0000FF)                          |
    +---------+                                  |
    |  green  |  blue                            |
    |(#00FF00)|                                  |
    +---------+----------------------------------+
    green: the lower-left square x 0..49, y 50..99; everything else below the band is blue.

The red top band tells a correct rotation from a wrong one, and the green lower-left square tells a
mirror image from the right one, so each of the 8 orientations is distinguishable.

With Orientation 6 ("rotate 90 degrees clockwise to display") the file stores 100 x 200 pixels: the red
band is the stored image's left 25 columns, the green square its lower-right corner (x 50..99,
y 150..199).
A decoder that ignores EXIF therefore shows a tall image with a red left edge.

JPEG is lossy: sample colours well inside the areas (e.g. upright (100, 12) red, (25, 75) green,
(150, 60) blue) and allow some tolerance (each channel within about 40 of the nominal value).
"""

import argparse
import sys

from PIL import Image, ImageDraw, ImageOps

W, H = 200, 100
RED, GREEN, BLUE = (255, 0, 0), (0, 255, 0), (0, 0, 255)
ORIENTATION_TAG = 0x0112

# The transposition that turns the upright picture into the stored pixels for each EXIF orientation:
# the inverse of what ImageOps.exif_transpose() (and any EXIF-aware viewer) applies.
TO_STORED = {
    1: None,
    2: Image.FLIP_LEFT_RIGHT,
    3: Image.ROTATE_180,
    4: Image.FLIP_TOP_BOTTOM,
    5: Image.TRANSPOSE,
    6: Image.ROTATE_90,   # stored turned 90 degrees anticlockwise; the viewer turns it clockwise
    7: Image.TRANSVERSE,
    8: Image.ROTATE_270,
}


def upright():
    img = Image.new("RGB", (W, H), BLUE)
    d = ImageDraw.Draw(img)
    d.rectangle([0, 0, W - 1, H // 4 - 1], fill=RED)
    d.rectangle([0, H // 2, W // 4 - 1, H - 1], fill=GREEN)
    return img


def main():
    ap = argparse.ArgumentParser(description="Write a JPEG whose EXIF Orientation tag rotates it upright.")
    ap.add_argument("out", help="path of the JPEG to write")
    ap.add_argument("--orientation", type=int, default=6, choices=range(1, 9), metavar="1..8",
                    help="EXIF Orientation value (default 6)")
    args = ap.parse_args()

    picture = upright()
    op = TO_STORED[args.orientation]
    stored = picture if op is None else picture.transpose(op)

    exif = stored.getexif()
    exif[ORIENTATION_TAG] = args.orientation

    # self-check before writing: an EXIF-aware viewer must get the upright picture back exactly
    check = stored.copy()
    check.getexif()[ORIENTATION_TAG] = args.orientation
    check.info["exif"] = exif.tobytes()
    if ImageOps.exif_transpose(check).tobytes() != picture.tobytes():
        sys.exit("make-exif-fixture: internal error, orientation mapping is wrong")

    stored.save(args.out, "JPEG", quality=95, subsampling=0, exif=exif.tobytes())

    # and read the file back: tag present, pixels the expected stored size
    with Image.open(args.out) as back:
        got = back.getexif().get(ORIENTATION_TAG)
        if got != args.orientation or back.size != stored.size:
            sys.exit(f"make-exif-fixture: {args.out} came back with orientation {got} size {back.size}")


if __name__ == "__main__":
    main()
