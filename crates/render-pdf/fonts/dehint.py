#!/usr/bin/env python3
"""Make the PDF fonts from site-template/fonts: the same DejaVu outlines and metrics with
the TrueType hinting, the licence text in the name table and the tables the PDF writer
never reads dropped.

PDF viewers need neither hinting nor the licence text in every file; subsetter keeps both,
and they were over half of every embedded subset (10 KB of name table per face). Run from the repository root after changing a font:
    python3 crates/render-pdf/fonts/dehint.py   (needs fontTools)
"""
from pathlib import Path

from fontTools.ttLib import TTFont

KEEP = {"cmap", "head", "hhea", "hmtx", "maxp", "name", "OS/2", "post", "glyf", "loca"}
SRC = Path("site-template/fonts")
DST = Path("crates/render-pdf/fonts")

for name in ["DejaVuSans", "DejaVuSans-Bold", "DejaVuSans-Oblique",
             "DejaVuSans-BoldOblique", "DejaVuSansMono"]:
    font = TTFont(SRC / f"{name}.ttf")
    glyf = font["glyf"]
    for g in font.getGlyphOrder():
        glyf[g].removeHinting()
    for tag in list(font.keys()):
        if tag not in KEEP and tag != "GlyphOrder":
            del font[tag]
    # Names: copyright, family, style, id, full name, version, PostScript name. The long
    # licence text (IDs 13, 14) is in LICENSE-DejaVu.txt beside the fonts, not in every PDF.
    font["name"].names = [n for n in font["name"].names if n.nameID <= 6]
    font["maxp"].maxSizeOfInstructions = 0
    font["head"].flags &= ~(1 << 4)  # instructions may alter advance widths: no
    font.save(DST / f"{name}.ttf")
    print(name, (DST / f"{name}.ttf").stat().st_size)
