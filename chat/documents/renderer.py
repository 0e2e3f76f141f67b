"""The page renderer, run as its own process (`render.py` starts it): untrusted
PDF and TIFF bytes are parsed here, under a memory limit the process sets on
itself first thing, so a hostile file can crash or exhaust only this process.

It imports nothing of Django or the app. Arguments: a JSON object (see
`render.py`); it answers on stdout with one JSON line per event:

    {"event": "opened", "pages": 12, "text": [true, false, ...]}
    {"event": "page", "number": 1, "file": "/tmp/…/0001.png", "text": "…"}
    {"event": "refused", "reason": "encrypted", "page": null, ...}
    {"event": "done", "peak_mb": 212}
"""

import json
import os
import resource
import sys


def emit(**event):
    sys.stdout.write(json.dumps(event) + "\n")
    sys.stdout.flush()


def done():
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    emit(event="done", peak_mb=round(peak))


def limit_memory(megabytes):
    limit = megabytes * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    # A crash leaves no core file of someone's document behind.
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def page_scale(width_pt, height_pt, longest_px, max_dpi):
    """Points to pixels: the longer side at `longest_px`, at most `max_dpi`."""
    return min(longest_px / max(width_pt, height_pt), max_dpi / 72)


def render_pdf(job):
    import PIL.Image  # noqa: F401  (loaded now: a renderer short of memory fails before opening)
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(job["path"])
    except pdfium.PdfiumError as error:
        reason = "encrypted" if getattr(error, "err_code", None) == 4 else "broken"
        return emit(event="refused", reason=reason, detail=str(error))
    count = len(document)
    if count == 0:
        return emit(event="refused", reason="no_pages")
    if count > job["max_pages"]:
        return emit(event="refused", reason="too_many_pages", pages=count)
    max_points = job["max_page_inches"] * 72
    for index in range(count):
        width, height = document.get_page_size(index)
        if max(width, height) > max_points or min(width, height) < 1:
            return emit(
                event="refused",
                reason="page_size",
                page=index + 1,
                inches=[round(width / 72, 1), round(height / 72, 1)],
            )
    texts = []
    for index in range(count):
        page = document[index]
        texts.append(page.get_textpage().get_text_range().strip())
    emit(event="opened", pages=count, text=[bool(t) for t in texts])
    for index in range(count):
        page = document[index]
        scale = page_scale(*page.get_size(), job["longest_px"], job["max_dpi"])
        image = page.render(scale=scale, may_draw_forms=True).to_pil().convert("RGB")
        file = os.path.join(job["out"], f"{index + 1:04d}.png")
        image.save(file, "PNG", optimize=False)
        emit(event="page", number=index + 1, file=file, text=texts[index])
    done()


def render_tiff(job):
    from PIL import Image

    Image.MAX_IMAGE_PIXELS = job["max_pixels"]
    try:
        image = Image.open(job["path"])
        count = getattr(image, "n_frames", 1)
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as error:
        return emit(event="refused", reason="broken", detail=str(error))
    if count > job["max_pages"]:
        return emit(event="refused", reason="too_many_pages", pages=count)
    sizes = []
    for index in range(count):
        image.seek(index)
        if image.width * image.height > job["max_pixels"]:
            return emit(event="refused", reason="pixels", page=index + 1, size=list(image.size))
        sizes.append(image.size)
    emit(event="opened", pages=count, text=[False] * count)
    for index in range(count):
        try:
            image.seek(index)
            page = image.convert("RGB")
        except (OSError, SyntaxError, ValueError) as error:
            return emit(event="refused", reason="broken", page=index + 1, detail=str(error))
        page.thumbnail((job["longest_px"], job["longest_px"]))
        file = os.path.join(job["out"], f"{index + 1:04d}.png")
        page.save(file, "PNG")
        emit(event="page", number=index + 1, file=file, text="")
    done()


def main():
    job = json.loads(sys.argv[1])
    limit_memory(job["memory_mb"])
    (render_pdf if job["kind"] == "pdf" else render_tiff)(job)


if __name__ == "__main__":
    main()
