"""The translation catalogues: reading a .po and compiling it, the same way
everywhere (Babel writes the .mo; no gettext binaries needed)."""

import io
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po


def po_files(locale_paths):
    for root in locale_paths:
        yield from sorted(Path(root).glob("*/LC_MESSAGES/*.po"))


def read(po):
    with open(po, "rb") as f:
        return read_po(f)


def compile_catalogue(po):
    out = io.BytesIO()
    write_mo(out, read(po), use_fuzzy=False)
    return out.getvalue()
