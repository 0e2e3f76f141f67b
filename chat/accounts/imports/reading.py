"""Opening an uploaded export without trusting it: a zip's declared sizes are
not believed (every read is bounded), its member count and total are capped,
JSON too deep for the parser is refused with a sentence like any other."""

import base64
import binascii
import json
import posixpath
import re
import zipfile
import zlib

from django.conf import settings
from django.utils.translation import gettext, gettext_noop

from chat.accounts.imports import chatgpt, openwebui
from chat.accounts.imports.parsed import MAX_CONVERSATIONS, ImportRefused
from chat.refusals import grouped

MAX_MEMBERS = 50_000
CHATGPT_JSON = re.compile(r"conversations(-\d+)?\.json")
DAMAGED = (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError)
NEITHER = gettext_noop(
    "%(what)s is neither a ChatGPT export (a zip, or its conversations.json: a list of "
    "conversations with a “mapping”) nor an Open WebUI export (a JSON list of chats)."
)


def _json(data, name):
    try:
        return json.loads(data)
    except RecursionError:
        raise ImportRefused(
            gettext("%(name)s is nested too deeply to be an export.") % {"name": name}
        ) from None
    except (ValueError, UnicodeDecodeError) as error:
        raise ImportRefused(
            gettext("%(name)s is not valid JSON (%(error)s).") % {"name": name, "error": error}
        ) from None


class Source:
    """The conversations of one uploaded file, and its images on demand."""

    def __init__(self, file, name):
        self.name = name
        self.budget = settings.IMPORT_MAX_UNPACKED_BYTES
        head = file.read(4)
        file.seek(0)
        self.zip = None
        if head.startswith(b"PK"):
            self._open_zip(file)
        else:
            data = self._bounded(file, f"“{name}”")
            self._take(_json(data, f"“{name}”"), f"“{name}”")
        if len(self.conversations) > MAX_CONVERSATIONS:
            raise ImportRefused(
                gettext("The file holds more than %(count)s conversations.")
                % {"count": grouped(MAX_CONVERSATIONS)}
            )

    def _bounded(self, file, what, limit=None):
        limit = min(limit or self.budget, self.budget)
        try:
            data = file.read(limit + 1)
        except DAMAGED:
            raise ImportRefused(
                gettext("The zip is damaged or cut short: %(what)s cannot be read.")
                % {"what": what}
            ) from None
        if len(data) > limit:
            raise ImportRefused(
                gettext("%(what)s unpacks to more than this server accepts.") % {"what": what}
            )
        self.budget -= len(data)
        return data

    def _open_zip(self, file):
        try:
            self.zip = zipfile.ZipFile(file)
            members = self.zip.infolist()
        except DAMAGED:
            raise ImportRefused(
                gettext(
                    "“%(name)s” is not a complete zip archive (it may have been cut off "
                    "while downloading)."
                )
                % {"name": self.name}
            ) from None
        if len(members) > MAX_MEMBERS:
            raise ImportRefused(
                gettext("The zip holds more than %(count)s files.")
                % {"count": grouped(MAX_MEMBERS)}
            )
        self.members = {m.filename: m for m in members if not m.is_dir()}
        found = sorted(n for n in self.members if CHATGPT_JSON.fullmatch(posixpath.basename(n)))
        if not found:
            raise ImportRefused(
                gettext("The zip holds no conversations.json: it is not a ChatGPT export.")
            )
        self.kind, self.conversations = "chatgpt", []
        for name in found:
            with self._member(name) as member:
                data = _json(self._bounded(member, name), name)
            if not chatgpt.looks_like(data):
                raise ImportRefused(gettext(NEITHER) % {"what": name})
            self.conversations.extend(data)

    def _member(self, name):
        try:
            return self.zip.open(self.members[name])
        except DAMAGED:
            raise ImportRefused(
                gettext("The zip is damaged or cut short: %(what)s cannot be read.")
                % {"what": name}
            ) from None

    def _take(self, data, what):
        if chatgpt.looks_like(data):
            self.kind = "chatgpt"
        elif openwebui.looks_like(data):
            self.kind = "openwebui"
        else:
            raise ImportRefused(gettext(NEITHER) % {"what": what})
        self.conversations = data

    def parse(self, raw, number):
        module = chatgpt if self.kind == "chatgpt" else openwebui
        return module.parse(raw, number)

    def image(self, ref):
        """(bytes, name) of an image a message refers to, or None if the file lacks it."""
        limit = settings.IMAGE_MAX_BYTES
        if ref.startswith("data:"):
            encoded = ref.split(",", 1)[-1]
            if len(encoded) > limit * 4 // 3 + 4:
                raise ImportRefused(gettext("An image in the file is larger than images may be."))
            try:
                return base64.b64decode(encoded, validate=False), "image"
            except (binascii.Error, ValueError):
                return None
        if self.zip is None:
            return None
        names = [n for n in self.members if posixpath.basename(n).startswith(ref)]
        if not names:
            return None
        with self._member(names[0]) as member:
            return self._bounded(member, names[0], limit), posixpath.basename(names[0])
