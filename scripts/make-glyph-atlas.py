#!/usr/bin/python3
"""Rasterizes the glyphs `distal --plot FILE.png` draws text with into src/Distal.Cli/Plots/glyphs.bin.

The PNG renderer ships its own coverage masks so it needs no font, fontconfig or native library at run time (a fresh
Debian 12 has none). Run once by a developer with Debian's python3-pil and fonts-dejavu-core; the output is committed.
Format (little endian): "DGA1", u8 faces; per face: u8 pixel size, u8 ascent, u8 line height, u16 glyphs; per glyph:
u16 code point, u8 advance (1/4 px), i8 left, i8 top (above the baseline), u8 width, u8 height, width*height alpha bytes.
"""
import struct
from PIL import Image, ImageDraw, ImageFont

FONTS = "/usr/share/fonts/truetype/dejavu/"
FACES = [("DejaVuSans.ttf", 11), ("DejaVuSans.ttf", 13), ("DejaVuSans-Bold.ttf", 15)]
CHARS = [chr(c) for c in range(32, 127)] + list("²…−×·σλ≤≥°")

out = bytearray(b"DGA1")
out += struct.pack("<B", len(FACES))
for name, size in FACES:
    font = ImageFont.truetype(FONTS + name, size)
    ascent, descent = font.getmetrics()
    out += struct.pack("<BBBH", size, ascent, ascent + descent, len(CHARS))
    for ch in CHARS:
        image = Image.new("L", (size * 3, size * 3), 0)
        ImageDraw.Draw(image).text((size, 2 * size), ch, font=font, fill=255, anchor="ls")
        box = image.getbbox()
        advance = round(font.getlength(ch) * 4)
        if box is None:
            out += struct.pack("<HBbbBB", ord(ch), advance, 0, 0, 0, 0)
            continue
        left, top, right, bottom = box
        glyph = image.crop(box)
        out += struct.pack("<HBbbBB", ord(ch), advance, left - size, 2 * size - top, right - left, bottom - top)
        out += glyph.tobytes()

open("src/Distal.Cli/Plots/glyphs.bin", "wb").write(bytes(out))
print(len(out), "bytes")
