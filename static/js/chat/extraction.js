// Under an extraction's answer: its fields as a table, those that failed the
// schema marked with the reason, the raw JSON one click away, and the
// downloads once every field fits (chat/extraction/, chat/tables/).

import { gettext } from "./i18n.js";

// Under the person's message: the fields it asked for.
export function extractedFieldsNote(names) {
  const note = document.createElement("p");
  note.className = "extract-asked";
  note.textContent = gettext("Fields asked for:") + " " + names.join(", ");
  return note;
}

function shown(value) {
  return value === null || value === undefined ? "—" : String(value);
}

export function extractionView(extraction) {
  const box = document.createElement("div");
  box.className = "extraction" + (extraction.valid ? "" : " invalid");

  const status = document.createElement("p");
  status.className = "extraction-status";
  status.textContent = extraction.valid
    ? gettext("Every field fits the schema.")
    : gettext("This answer does not fit the schema: the marked fields failed, and it is not offered as a download.");
  box.append(status);
  for (const sentence of extraction.errors) {
    const problem = document.createElement("p");
    problem.className = "problem";
    problem.textContent = sentence;
    box.append(problem);
  }

  const table = document.createElement("table");
  table.className = "extraction-table";
  const head = table.createTHead().insertRow();
  for (const title of [gettext("Field"), gettext("Value")]) {
    const cell = document.createElement("th");
    cell.scope = "col";
    cell.textContent = title;
    head.append(cell);
  }
  const body = table.createTBody();
  for (const field of extraction.fields) {
    const row = body.insertRow();
    const name = document.createElement("th");
    name.scope = "row";
    name.textContent = field.name;
    const value = row.insertCell();
    value.textContent = shown(field.value);
    row.prepend(name);
    if (field.errors.length) {
      row.className = "failed";
      value.setAttribute("aria-invalid", "true");
      const why = document.createElement("span");
      why.className = "field-error";
      why.textContent = field.errors.join(" ");
      value.append(why);
    }
  }
  box.append(table);

  const raw = document.createElement("details");
  raw.className = "extraction-raw";
  const summary = document.createElement("summary");
  summary.textContent = gettext("Raw JSON");
  const text = document.createElement("pre");
  text.textContent = extraction.raw;
  raw.append(summary, text);
  box.append(raw);

  if (extraction.valid) {
    const downloads = document.createElement("div");
    downloads.className = "table-downloads";
    downloads.append(gettext("Fields:"));
    for (const format of ["csv", "xlsx", "json"]) {
      const link = document.createElement("a");
      link.href = extraction.downloads[format];
      link.download = "";
      link.textContent = format.toUpperCase();
      link.setAttribute("aria-label", gettext("Download the fields as") + " " + format.toUpperCase());
      downloads.append(" ", link);
    }
    box.append(downloads);
  }
  return box;
}
