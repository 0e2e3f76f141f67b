"""What of an image's metadata may leave with a copy: its ICC profile, nothing else.

Derivatives go to the model and to reviewers who may not see the original,
so they carry no EXIF, GPS, XMP, comments, text chunks or vendor segments. An
allow-list, not a deny-list: Pillow writes some of what it read back out
unless told not to (a JPEG's or GIF's comment goes into a JPEG it saves), so
`save_clean` empties the image's info and passes the ICC profile alone.

An original is sent as it is only when `only_image_data` proves it holds
nothing else: its container walked segment by segment (PNG chunks, JPEG
markers, WebP chunks), every one on a list of those that describe pixels.
GIF is always re-encoded.
"""

import struct

# PNG chunks that describe pixels and colour; everything else (tEXt, zTXt,
# iTXt, eXIf, tIME, private chunks...) makes the original not clean.
PNG_KEPT = {
    b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS", b"gAMA", b"cHRM", b"sRGB", b"iCCP",
    b"sBIT", b"pHYs", b"bKGD",
}  # fmt: skip
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

# JPEG segments with a length that describe the pixels: tables, frame, scan.
JPEG_TABLES = {0xC4, 0xCC, 0xDB, 0xDD}  # DHT, DAC, DQT, DRI
JPEG_FRAMES = set(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}  # SOF0-SOF15
JPEG_SCAN = 0xDA
# Application segments allowed by their signature: JFIF without a thumbnail
# (a 16-byte APP0), the ICC profile, Adobe's colour transform.
JPEG_APPS = {0xE0: b"JFIF\x00", 0xE2: b"ICC_PROFILE\x00", 0xEE: b"Adobe"}
JFIF_WITHOUT_THUMBNAIL = 16

# WebP chunks of one still image: EXIF, XMP, animation and unknown ones are not.
WEBP_KEPT = {b"VP8 ", b"VP8L", b"VP8X", b"ALPH", b"ICCP"}


def save_clean(image, out, format, **options):
    """Save `image` to `out` with no metadata but its ICC profile. Empties
    `image.info`: pass an image made for this save (a conversion, a resize)."""
    icc_profile = image.info.get("icc_profile")
    image.info = {}
    if icc_profile:
        options["icc_profile"] = icc_profile
    image.save(out, format, **options)


def only_image_data(data):
    """True if the PNG or JPEG `data` holds nothing but pixels, their colour
    profile and what decodes them; False for anything else, or unsure."""
    if data.startswith(PNG_SIGNATURE):
        return _png_only_image_data(data)
    if data.startswith(b"\xff\xd8"):
        return _jpeg_only_image_data(data)
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return _webp_only_image_data(data)
    return False


def _png_only_image_data(data):
    pos = len(PNG_SIGNATURE)
    while pos + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        if kind not in PNG_KEPT:
            return False
        pos += 12 + length  # length, type, data, CRC
        if kind == b"IEND":
            return pos == len(data)  # nothing hidden after the end
    return False


def _webp_only_image_data(data):
    if int.from_bytes(data[4:8], "little") + 8 != len(data):
        return False  # something after the RIFF container, or cut short
    pos = 12
    while pos + 8 <= len(data):
        kind, length = data[pos : pos + 4], int.from_bytes(data[pos + 4 : pos + 8], "little")
        if kind not in WEBP_KEPT:
            return False
        pos += 8 + length + (length & 1)  # chunks are padded to an even length
    return pos == len(data)


def _jpeg_only_image_data(data):
    pos = 2
    while pos + 2 <= len(data):
        if data[pos] != 0xFF:
            return False
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        if marker == 0xD9:  # EOI
            return pos + 2 == len(data)
        if pos + 4 > len(data):
            return False
        length = int.from_bytes(data[pos + 2 : pos + 4], "big")
        body = data[pos + 4 : pos + 2 + length]
        if marker in JPEG_APPS:
            if not body.startswith(JPEG_APPS[marker]):
                return False
            if marker == 0xE0 and length != JFIF_WITHOUT_THUMBNAIL:
                return False
        elif marker not in JPEG_TABLES | JPEG_FRAMES | {JPEG_SCAN}:
            return False  # COM, APP1 (EXIF, XMP), APP13 (IPTC), other APPn, unknown
        pos += 2 + length
        if marker == JPEG_SCAN:
            pos = _after_entropy_coded_data(data, pos)
            if pos is None:
                return False
    return False


def _after_entropy_coded_data(data, pos):
    """Where the next marker starts after a scan's data (0xFF00 is a stuffed
    byte, 0xFFD0-D7 restart markers inside the scan)."""
    while True:
        pos = data.find(b"\xff", pos)
        if pos < 0 or pos + 1 >= len(data):
            return None
        following = data[pos + 1]
        if following == 0x00 or 0xD0 <= following <= 0xD7:
            pos += 2
        elif following == 0xFF:
            pos += 1
        else:
            return pos
