// The page's sentences in the reader's language: the globals gettext(),
// ngettext() come from Django's JavaScript catalog (/jsi18n/, loaded by
// base.html); without it (Node's tests) a sentence stays as written. Named
// gettext and ngettext so that makemessages finds the sentences. Whole
// sentences are marked, their variable parts as %(name)s placeholders.

export function gettext(text) {
  return typeof globalThis.gettext === "function" ? globalThis.gettext(text) : text;
}

export function ngettext(singular, plural, count) {
  if (typeof globalThis.ngettext === "function") return globalThis.ngettext(singular, plural, count);
  return count === 1 ? singular : plural;
}

// Fills "%(name)s" from values, as Django's interpolate(format, values, true).
export function interpolate(format, values) {
  return format.replace(/%\((\w+)\)s/g, (placeholder, name) => (name in values ? String(values[name]) : placeholder));
}

// The page's language (<html lang>, set by Django), for Intl's dates and numbers.
export function pageLanguage() {
  return (globalThis.document && document.documentElement.lang) || "en";
}

export function formatNumber(number) {
  return typeof number === "number" ? number.toLocaleString(pageLanguage()) : String(number);
}
