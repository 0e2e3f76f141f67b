// What plain HTML cannot show: highlighted code with its language and a copy
// button, and TeX drawn by KaTeX as MathML (no inline styles, no fonts to
// load). Both libraries load on first need; an answer that has neither costs
// nothing.

import { gettext, interpolate } from "./i18n.js";

const loaded = {};

function load(name, loader) {
  if (!loaded[name]) loaded[name] = { promise: loader().then((m) => (loaded[name].module = m.default)) };
  return loaded[name];
}

const highlighter = () => load("hljs", () => import("../../vendor/highlight.js-11.12.0/highlight.min.js"));
const katex = () => load("katex", () => import("../../vendor/katex-0.19.1/katex.mjs"));

// Run `use(module)` now if the library is there (no flicker while streaming), else once it is.
function withLibrary(library, use) {
  if (library.module) use(library.module);
  else library.promise.then(use);
}

export function copyButton(label, text) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "copy";
  button.textContent = gettext("Copy");
  button.setAttribute("aria-label", label);
  button.addEventListener("click", async function () {
    try {
      await navigator.clipboard.writeText(text());
      button.textContent = gettext("Copied");
    } catch {
      button.textContent = gettext("Copy failed");
    }
    setTimeout(() => (button.textContent = gettext("Copy")), 1500);
  });
  return button;
}

function decorateCode(pre) {
  const code = pre.querySelector("code");
  if (!code || pre.parentNode.classList.contains("code-block")) return;
  const language = (code.className.match(/language-(\S+)/) || [])[1] || "";
  const block = document.createElement("div");
  block.className = "code-block";
  const head = document.createElement("div");
  head.className = "code-head";
  const name = document.createElement("span");
  name.textContent = language || gettext("text");
  head.append(name, copyButton(gettext("Copy code"), () => code.textContent));
  pre.replaceWith(block);
  block.append(head, pre);
  withLibrary(highlighter(), function (hljs) {
    if (code.dataset.highlighted) return;
    if (language && !hljs.getLanguage(language)) return; // unknown: leave it plain
    code.classList.add("hljs");
    const result = language ? hljs.highlight(code.textContent, { language }) : hljs.highlightAuto(code.textContent);
    code.innerHTML = result.value; // hljs escapes the text it wraps in spans
    code.dataset.highlighted = "yes";
  });
}

function drawMath(element) {
  withLibrary(katex(), function (katex) {
    if (element.dataset.drawn) return;
    const tex = element.textContent;
    katex.render(tex, element, {
      displayMode: element.classList.contains("display"),
      output: "mathml",
      throwOnError: false,
      trust: false,
    });
    element.dataset.drawn = "yes";
    element.title = tex;
  });
}

// Decorate a message body that holds sanitized HTML.
export function enrich(body) {
  for (const pre of body.querySelectorAll("pre")) decorateCode(pre);
  for (const math of body.querySelectorAll(".math")) drawMath(math);
  // Code, tables and display math scroll sideways in their own box when wide
  // (phone.css): focusable, so the arrow keys scroll them too.
  for (const box of body.querySelectorAll("pre, table, .math.display")) box.tabIndex = 0;
}
