"""Real image files made in memory for the tests."""

import io
import random
import struct
import zlib

import pillow_heif
from PIL import Image, ImageDraw, ImageFont

ORIENTATION, DESCRIPTION, GPS_IFD, BODY_SERIAL = 0x0112, 0x010E, 0x8825, 0xA431


def image_bytes(format="PNG", size=(64, 48), color=(220, 30, 30), **save_options):
    mode = "RGBA" if format == "PNG" and len(color) == 4 else "RGB"
    out = io.BytesIO()
    Image.new(mode, size, color).save(out, format, **save_options)
    return out.getvalue()


def two_tone(size, left=(230, 20, 20), right=(20, 20, 230)):
    """Left half one colour, right half another: shows which way is up."""
    image = Image.new("RGB", size, right)
    image.paste(left, (0, 0, size[0] // 2, size[1]))
    return image


def receipt(lines=(("Coffee", "3.20"), ("Croissant", "2.80")), total="6.00"):
    """A till receipt on a dark table, as a PNG: a picture worth asking about."""
    image = Image.new("RGB", (520, 400), (74, 60, 48))
    draw = ImageDraw.Draw(image)
    draw.rectangle((130, 20, 390, 380), fill=(250, 248, 240))
    font = ImageFont.load_default(size=20)
    draw.text((190, 40), "CAFE LUMEN", fill=(30, 30, 30), font=font)
    for row, (item, price) in enumerate([*lines, ("TOTAL", total)]):
        y = 110 + row * 44 + (20 if item == "TOTAL" else 0)
        draw.text((155, y), item, fill=(30, 30, 30), font=font)
        draw.text((310, y), price, fill=(30, 30, 30), font=font)
    draw.line((150, 96 + len(lines) * 44 + 14, 370, 96 + len(lines) * 44 + 14), fill=(60, 60, 60))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def camera_photo(size=(6000, 4000), orientation=6):
    """A JPEG as a phone camera writes it: stored sideways with an EXIF rotation,
    a GPS position, a serial number and a description."""
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    exif[DESCRIPTION] = "at home"
    exif[BODY_SERIAL] = "SN-4242"
    gps = exif.get_ifd(GPS_IFD)
    gps.update({1: "N", 2: (52.0, 22.0, 1.5), 3: "E", 4: (4.0, 53.0, 2.0)})
    out = io.BytesIO()
    two_tone(size).save(out, "JPEG", quality=80, exif=exif)
    return out.getvalue()


def heic_photo(size=(1600, 1200)):
    pillow_heif.register_heif_opener()
    out = io.BytesIO()
    two_tone(size).save(out, "HEIF", quality=70)
    return out.getvalue()


def transparent_png(size=(1400, 1000)):
    """A red square on a fully transparent background."""
    image = Image.new("RGBA", size, (0, 0, 0, 0))
    width, height = size
    image.paste((220, 30, 30, 255), (width // 4, height // 4, width * 3 // 4, height * 3 // 4))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def animated_gif(colors=((220, 30, 30), (30, 220, 30), (30, 30, 220)), size=(120, 90)):
    frames = [Image.new("RGB", size, color) for color in colors]
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    return out.getvalue()


def _chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def bomb_png(width, height):
    """A valid PNG header claiming width×height pixels, with a few bytes of data:
    what a decompression bomb looks like before anyone decodes it."""
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1-bit greyscale
    pixels = zlib.compress(b"\0" * (width // 8 + 1) * 16)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", pixels)
        + _chunk(b"IEND", b"")
    )


def decoded(data):
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def noisy_png(size):
    """Random pixels: compresses badly, so the file is large for its size."""
    out = io.BytesIO()
    Image.frombytes("RGB", size, random.randbytes(size[0] * size[1] * 3)).save(out, "PNG")
    return out.getvalue()
