// The page's sentences in the reader's language: the global gettext() comes
// from Django's JavaScript catalog (/jsi18n/, loaded by base.html); without it
// (Node's tests) a sentence stays as written. Named gettext so that
// makemessages finds the sentences.

export function gettext(text) {
  return typeof globalThis.gettext === "function" ? globalThis.gettext(text) : text;
}
