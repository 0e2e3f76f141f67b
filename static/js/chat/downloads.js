// Under an answer that holds tables (Markdown tables, fenced CSV or JSON):
// each as CSV, XLSX and JSON, made by the server (chat/tables/).

import { gettext, interpolate } from "./i18n.js";

export function downloadsBar(tables) {
  const bar = document.createElement("div");
  bar.className = "table-downloads";
  for (const table of tables) {
    const row = document.createElement("span");
    row.className = "table-download";
    const label = document.createElement("span");
    label.textContent = table.label + ":";
    row.append(label);
    for (const format of ["csv", "xlsx", "json"]) {
      const link = document.createElement("a");
      link.href = table[format];
      link.download = "";
      link.textContent = format.toUpperCase();
      link.setAttribute("aria-label", interpolate(gettext("Download %(table)s as %(format)s"), { table: table.label, format: format.toUpperCase() }));
      row.append(" ", link);
    }
    bar.append(row);
  }
  return bar;
}
