// The streaming answer's markdown, rendered in the browser the way
// chat/markdown.py renders the stored one (CommonMark, tables, bare links,
// TeX math left as source for rich.js), then sanitized by DOMPurify.

import markdownit from "../../vendor/markdown-it-15.0.3/markdown-it.esm.min.mjs";
import DOMPurify from "../../vendor/dompurify-3.5.0/purify.es.mjs";

// markdown-it-texmath is a classic script (loaded by the template) that
// defines window.texmath; it only finds the delimiters here.
const md = markdownit({ html: false, linkify: true }).use(window.texmath, {
  engine: { renderToString: (tex) => md.utils.escapeHtml(tex) },
  delimiters: ["dollars", "brackets"],
});
for (const name of ["math_inline", "math_single", "math_inline_double"]) {
  md.renderer.rules[name] = (tokens, i) => '<span class="math">' + md.utils.escapeHtml(tokens[i].content) + "</span>";
}
for (const name of ["math_block", "math_block_eqno"]) {
  md.renderer.rules[name] = (tokens, i) => '<div class="math display">' + md.utils.escapeHtml(tokens[i].content) + "</div>\n";
}

// Links leave the page in a new tab, without telling the target where from.
DOMPurify.addHook("afterSanitizeAttributes", function (node) {
  if (node.tagName === "A") {
    node.setAttribute("target", "_blank");
    node.setAttribute("rel", "noopener noreferrer nofollow");
  }
});

const allowed = {
  ALLOWED_TAGS: [
    "p", "br", "hr", "em", "strong", "code", "pre", "blockquote", "ul", "ol", "li",
    "h1", "h2", "h3", "h4", "h5", "h6", "a", "table", "thead", "tbody", "tr", "th", "td", "span", "div",
  ],
  ALLOWED_ATTR: ["href", "title", "align", "class", "target", "rel"],
};

export function renderMarkdown(text) {
  return DOMPurify.sanitize(md.render(text), allowed);
}
