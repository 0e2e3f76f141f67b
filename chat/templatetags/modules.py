"""`{% module_preloads "js/chat/main.js" %}`: a <link rel="modulepreload"> for
every module the entry imports, directly or not.

Without them the browser finds the imports one level at a time, a round trip
to the server per level (four for the conversation page); with them it asks
for all of them at once. The graph is read from the modules themselves, so a
new import needs no change here; dynamic `import()` (loaded when first needed)
is left out on purpose."""

import posixpath
import re
from functools import cache

from django import template
from django.conf import settings
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.utils.html import format_html_join

register = template.Library()

# `import x from "./a.js"`, `import { a,\n b } from "../b.js"`, `export * from "./c.js"`,
# `import "./d.js"`: the static imports, whose specifier is a relative path.
IMPORT = re.compile(
    r"""^\s*(?:import|export)\s(?:[^'";]*?\sfrom\s*)?["'](\.{1,2}/[^"']+)["']""", re.M
)


def imported(name):
    """The static paths of the modules `name` (a static path) imports."""
    with open(finders.find(name), encoding="utf-8") as source:
        specifiers = IMPORT.findall(source.read())
    folder = posixpath.dirname(name)
    return [posixpath.normpath(posixpath.join(folder, specifier)) for specifier in specifiers]


def import_graph(entry):
    """Every module `entry` imports, directly or not, in the order first met."""
    seen, pending = [], [entry]
    while pending:
        name = pending.pop(0)
        for module in imported(name):
            if module not in seen and module != entry:
                seen.append(module)
                pending.append(module)
    return seen


cached_import_graph = cache(import_graph)


@register.simple_tag
def module_preloads(entry):
    graph = import_graph(entry) if settings.DEBUG else cached_import_graph(entry)
    return format_html_join(
        "\n", '<link rel="modulepreload" href="{}">', ((static(m),) for m in graph)
    )
