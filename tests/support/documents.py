"""Real PDF and TIFF files made in memory for the tests."""

import io

from PIL import Image, ImageDraw, ImageFont

PAGE_COLOURS = [(250, 250, 250), (255, 236, 200), (210, 235, 255), (220, 255, 220)]


def page_image(number, size=(850, 1100)):
    """A page with its number written large on a colour of its own (so a test
    can tell pages apart by their pixels)."""
    image = Image.new("RGB", size, PAGE_COLOURS[(number - 1) % len(PAGE_COLOURS)])
    draw = ImageDraw.Draw(image)
    draw.text((80, 80), f"Page {number}", fill=(20, 20, 20), font=ImageFont.load_default(size=72))
    return image


def scanned_pdf(pages=3, size=(850, 1100), resolution=100):
    """A scan: each page an image, no text layer. 850×1100 px at 100 dpi is US Letter."""
    images = [page_image(n, size) for n in range(1, pages + 1)]
    out = io.BytesIO()
    images[0].save(out, "PDF", save_all=True, append_images=images[1:], resolution=resolution)
    return out.getvalue()


def text_pdf(texts):
    """A born-digital PDF: one US Letter page per text, drawn in Helvetica (a
    text layer a reader can extract). Written by hand, with a correct xref."""
    objects = ["<< /Type /Catalog /Pages 2 0 R >>"]
    kids = " ".join(f"{4 + 2 * i} 0 R" for i in range(len(texts)))
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {len(texts)} >>")
    objects.append("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    for i, text in enumerate(texts):
        escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        stream = f"BT /F1 24 Tf 72 700 Td ({escaped}) Tj ET"
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            f"/Resources << /Font << /F1 3 0 R >> >> /Contents {5 + 2 * i} 0 R >>"
        )
        objects.append(f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream")
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1"))
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\n".encode())
    out.write(f"startxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def encrypted_pdf(password="secret"):
    import pypdf  # a test extra: only the tests make encrypted files

    writer = pypdf.PdfWriter()
    writer.append(pypdf.PdfReader(io.BytesIO(scanned_pdf(pages=1))))
    writer.encrypt(password)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def huge_page_pdf(inches=200):
    """One page `inches` × `inches` (a 200-pixel image at 1 dpi)."""
    out = io.BytesIO()
    Image.new("RGB", (inches, inches), "white").save(out, "PDF", resolution=1)
    return out.getvalue()


def multipage_tiff(pages=3, size=(800, 1000)):
    images = [page_image(n, size) for n in range(1, pages + 1)]
    out = io.BytesIO()
    images[0].save(out, "TIFF", save_all=True, append_images=images[1:], compression="tiff_lzw")
    return out.getvalue()
