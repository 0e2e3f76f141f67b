"""One dataset export from start to end: the chosen kind streamed from the
selected conversations, its report stored when the last byte has gone."""

from django.utils import translation
from django.utils.timezone import now

from chat.review.datasets import evalsets, imagefolder, preferences, prompts, rows, sft
from chat.review.datasets.report import Report
from chat.review.datasets.targets import TARGETS
from chat.review.models import DatasetExport

FILES = {
    DatasetExport.Kind.SFT: ("sft", "jsonl", "application/x-ndjson"),
    DatasetExport.Kind.PREFERENCES: ("preferences", "jsonl", "application/x-ndjson"),
    DatasetExport.Kind.EVAL: ("eval", "jsonl", "application/x-ndjson"),
    DatasetExport.Kind.IMAGEFOLDER: ("imagefolder", "zip", "application/zip"),
}


def options_of(cleaned, base_url):
    return sft.Options(
        target=TARGETS[cleaned["target"]],
        source=prompts.ImageSource(
            links=cleaned["images"] == "links", base_url=base_url, hours=cleaned["link_hours"]
        ),
        unit=cleaned["unit"],
        every_answer=cleaned["every_answer"],
        with_boxes=cleaned.get("with_boxes", False),
    )


def start(kind, cleaned, *, user, filters):
    return DatasetExport.objects.create(
        kind=kind, options={k: v for k, v in cleaned.items() if k != "kind"},
        filters=filters[:1000], made_by=user,
    )  # fmt: skip


def stream(export, conversations, options, *, language=None):
    """The file's pieces; the report is saved once they have all gone out. The
    report and the card are in `language`, the one the export was asked in: it
    is active while each piece is made (and only then: the server's own code
    runs between pieces)."""
    pieces = _pieces(export, conversations, options)
    while True:
        with translation.override(language or translation.get_language()):
            piece = next(pieces, None)
        if piece is None:
            return
        yield piece


def _pieces(export, conversations, options):
    report = Report()
    items = rows.items(conversations, reviewer=export.made_by)
    if export.kind == DatasetExport.Kind.SFT:
        pieces = sft.examples(items, options, report)
    elif export.kind == DatasetExport.Kind.PREFERENCES:
        pieces = preferences.lines(items, options, report)
    elif export.kind == DatasetExport.Kind.EVAL:
        pieces = evalsets.lines(items, options, report)
    else:
        pieces = imagefolder.stream(items, options, report, filters=export.filters)
    for piece in pieces:
        yield piece.encode() if isinstance(piece, str) else piece
    finish(export, report)


def finish(export, report):
    export.finished, export.conversations = now(), report.conversations
    export.kept, export.left_out_count = report.kept, report.left_out_count
    export.report = {
        "rules": dict(report.rules.most_common()),
        "examples": [list(pair) for pair in report.left_out],
        "notes": report.notes,
    }
    export.save(update_fields=["finished", "conversations", "kept", "left_out_count", "report"])


def file_name(export):
    stem, extension, _ = FILES[export.kind]
    return f"{stem}-{export.created:%Y%m%d-%H%M%S}.{extension}"


def content_type(export):
    return FILES[export.kind][2]
