"""An image folder dataset as a zip, streamed as it is written: `images/` with
the copies the model was sent, `metadata.jsonl` (one row per image, in the
layout Hugging Face `datasets` loads as an "imagefolder": `file_name` and the
columns), and a dataset card, `README.md`, with the filters, the counts, what
was left out, and the licence left for the operator to fill in.

Images are stored (already compressed), the text deflated. The metadata waits
in a temporary file (on disk past 1 MB) until the images are out, so memory
holds one image at a time whatever the selection.
"""

import json
import tempfile
import zipfile

from django.template.loader import render_to_string
from django.utils.timezone import now
from django.utils.translation import gettext

from chat.models import Message
from chat.review.datasets import grounding
from chat.review.datasets.report import named
from chat.review.datasets.sft import unusable

EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp", "image/gif": "gif"}


class _Sink:
    """A write-only file for ZipFile that hands its bytes on as they come."""

    def __init__(self):
        self.chunks, self.offset = [], 0

    def write(self, data):
        self.chunks.append(bytes(data))
        self.offset += len(data)
        return len(data)

    def tell(self):
        return self.offset

    def flush(self):
        pass

    def drain(self):
        data = b"".join(self.chunks)
        self.chunks.clear()
        return data


def rows_of(item, options, report):
    """(image, metadata row) for each image of a prompt on the user's path,
    with the answer that followed it."""
    path = [m for m in item.path() if m.status != Message.Status.STREAMING]
    for i, message in enumerate(path):
        if message.role != Message.Role.USER or not message.images:
            continue
        answer = next((m for m in path[i + 1 :] if m.role == Message.Role.ASSISTANT), None)
        name = named(item.code, message=message.pk)
        why = (
            gettext("no answer followed")
            if answer is None
            else unusable(answer, item, every_answer=options.every_answer)
        )
        if why:
            report.leave_out(name, why, rule_name=gettext("answer not usable"))
            continue
        for image in message.images:
            yield image, {
                "conversation": item.code, "message": message.pk, "answer_id": answer.pk,
                "model": answer.model, "prompt": message.text, "answer": answer.text,
                "correction": answer.correction,
                "verdicts": [value for _, value in answer.verdicts],
                "scores": [{"dimension": d, "value": v, "reviewer": r}
                           for d, v, r in answer.scores],
                "tags": sorted({*item.tags, *message.tags, *answer.tags}),
                "boxes": grounding.of_image(image),
                "objects": None,  # once the sent copy is known (stream)
                "width": image.width, "height": image.height,
            }  # fmt: skip


def objects(image):
    """The boxes again, in the pixels of the file in the zip (the sent copy,
    smaller than the original), COCO order [x, y, width, height], with their
    tag and note: the column detection examples of Hugging Face read."""
    if not image.boxes or not image.sent_width:
        return {"bbox": [], "categories": [], "notes": []}
    sx, sy = image.sent_width / image.width, image.sent_height / image.height
    return {
        "bbox": [[round(b.x * sx, 1), round(b.y * sy, 1), round(b.w * sx, 1), round(b.h * sy, 1)]
                 for b in image.boxes],
        "categories": [b.tag for b in image.boxes],
        "notes": [b.note for b in image.boxes],
    }  # fmt: skip


def stream(items, options, report, *, filters):
    """The zip's bytes, piece by piece; `filters` (a sentence) goes in the card."""
    sink = _Sink()
    count = 0
    with tempfile.SpooledTemporaryFile(max_size=1_000_000) as metadata:
        with zipfile.ZipFile(sink, "w", zipfile.ZIP_DEFLATED) as archive:
            for item in items:
                report.conversations += 1
                for image, row in rows_of(item, options, report):
                    data = image.sent_bytes()
                    row["objects"] = objects(image)
                    file_name = f"images/{image.code}.{EXTENSIONS.get(image.sent_mime, 'bin')}"
                    archive.writestr(file_name, data, compress_type=zipfile.ZIP_STORED)
                    metadata.write(
                        (
                            json.dumps({"file_name": file_name, **row}, ensure_ascii=False) + "\n"
                        ).encode()
                    )
                    report.keep()
                    count += 1
                    yield sink.drain()
            metadata.seek(0)
            with archive.open("metadata.jsonl", "w") as out:
                while chunk := metadata.read(1 << 16):
                    out.write(chunk)
                    yield sink.drain()
            card = render_to_string(
                "admin/review/dataset_card.md",
                {
                    "report": report,
                    "rules": report.rules.most_common(),
                    "filters": filters,
                    "images": count,
                    "made": now(),
                },
            )
            archive.writestr("README.md", card)
    yield sink.drain()
