"""Real image files made in memory for the tests."""

import io

from PIL import Image


def image_bytes(format="PNG", size=(64, 48), color=(220, 30, 30), **save_options):
    mode = "RGBA" if format == "PNG" and len(color) == 4 else "RGB"
    out = io.BytesIO()
    Image.new(mode, size, color).save(out, format, **save_options)
    return out.getvalue()
