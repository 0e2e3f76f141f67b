"""Model output to HTML: markdown rendered, then sanitized, because a model can be
talked into writing <script> as easily as prose.

The page's script renders the streaming answer the same way in the browser
(static/js/chat/markdown.js: markdown-it, markdown-it-texmath, DOMPurify); this
rendering is what is stored and shown once the answer ends. Math comes out as
its TeX source in <span class="math"> (inline) and <div class="math display">
elements, which the page draws with KaTeX; code blocks keep their `language-x`
class for highlighting."""

import re

import nh3
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from mdit_py_plugins.texmath import texmath_plugin

# "commonmark" with raw HTML off: HTML in the model's text shows as text.
# Math: $…$ and $$…$$, \(…\) and \[…\].
_markdown = (
    MarkdownIt("commonmark", {"html": False, "linkify": True})
    .enable(["table", "linkify"])
    .use(texmath_plugin, delimiters="dollars")
    .use(texmath_plugin, delimiters="brackets")
)


# The plugin's own <eq>/<eqn> markup is not HTML: the TeX goes out in plain
# elements instead, the same as static/js/chat/markdown.js writes them.
def _inline_math(self, tokens, i, options, env):
    return f'<span class="math">{escapeHtml(tokens[i].content)}</span>'


def _display_math(self, tokens, i, options, env):
    return f'<div class="math display">{escapeHtml(tokens[i].content)}</div>\n'


for _name in ("math_inline", "math_single", "math_inline_double"):
    _markdown.add_render_rule(_name, _inline_math)
for _name in ("math_block", "math_block_eqno"):
    _markdown.add_render_rule(_name, _display_math)

_ALLOWED_TAGS = {
    "p", "br", "hr", "em", "strong", "code", "pre", "blockquote", "ul", "ol", "li",
    "h1", "h2", "h3", "h4", "h5", "h6", "a", "table", "thead", "tbody", "tr", "th", "td",
    "span", "div",
}  # fmt: skip
_CLASSES = {
    "code": re.compile(r"language-[\w+#.-]{1,40}"),
    "span": re.compile(r"math"),
    "div": re.compile(r"math display"),
}


def _keep_known_classes(tag, attribute, value):
    if attribute == "class":
        allowed = _CLASSES.get(tag)
        return value if allowed and allowed.fullmatch(value) else None
    return value


def render(text):
    html = _markdown.render(text)
    return nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        attributes={
            "a": {"href", "title"},
            "th": {"align"},
            "td": {"align"},
            "code": {"class"},
            "span": {"class"},
            "div": {"class"},
        },
        attribute_filter=_keep_known_classes,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
        set_tag_attribute_values={"a": {"target": "_blank"}},
    )


# linkify-it builds its Unicode patterns on first use (a third of a second):
# pay it at startup, not in the middle of the first answer.
render("https://example.com")
