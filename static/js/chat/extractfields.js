// "Extract these fields…": the person lists fields (a name and a type each);
// the message is sent with them as "extract", and the server checks them and
// asks the model for JSON that fits (chat/extraction/).

const panel = document.getElementById("extract-fields");
const list = document.getElementById("extract-field-list");
const rowTemplate = document.getElementById("extract-field-row");
const savedPicker = document.getElementById("extract-saved");
// The person's saved schemas, [{name, fields}] (their settings page).
const saved = JSON.parse(document.getElementById("saved-schemas").textContent);
let changed = function () {}; // the composer keeps the fields in its draft

function addField(name = "", type = "text") {
  const row = rowTemplate.content.firstElementChild.cloneNode(true);
  row.querySelector(".extract-field-name").value = name;
  row.querySelector(".extract-field-type").value = type;
  row.querySelector(".extract-field-remove").addEventListener("click", function () {
    row.remove();
    if (!list.children.length) close();
    changed();
  });
  list.append(row);
  return row;
}

export function open() {
  panel.hidden = false;
  if (!list.children.length) addField();
  list.querySelector(".extract-field-name").focus();
  changed();
}

export function close() {
  panel.hidden = true;
  savedPicker.value = "";
  list.replaceChildren();
  changed();
}

// The fields as typed, for the draft (null when the list is closed).
export function draft() {
  if (panel.hidden) return null;
  return Array.from(list.children, (row) => ({
    name: row.querySelector(".extract-field-name").value,
    type: row.querySelector(".extract-field-type").value,
  }));
}

// A draft's fields, back after a reload.
export function restore(fields) {
  if (!Array.isArray(fields) || !fields.length) return;
  panel.hidden = false;
  list.replaceChildren();
  for (const field of fields) addField(String(field.name ?? ""), String(field.type ?? "text"));
}

// A saved schema fills in its fields, which the person may still change.
function pickSaved() {
  const schema = saved[Number(savedPicker.value)];
  if (!schema) return;
  list.replaceChildren();
  for (const field of schema.fields) addField(field.name, field.type);
}

// What the "send" carries, or null when no fields are asked for. Rows left
// without a name are dropped; the server refuses the rest if they are wrong.
export function request() {
  if (panel.hidden) return null;
  const fields = [];
  for (const row of list.children) {
    const name = row.querySelector(".extract-field-name").value.trim();
    if (name) fields.push({ name: name, type: row.querySelector(".extract-field-type").value });
  }
  return { fields: fields };
}

export function start(onChange) {
  if (onChange) changed = onChange;
  panel.addEventListener("input", () => changed());
  panel.addEventListener("change", () => changed());
  document.getElementById("extract-add-field").addEventListener("click", function () {
    addField().querySelector(".extract-field-name").focus();
    changed();
  });
  document.getElementById("extract-cancel").addEventListener("click", close);
  savedPicker.addEventListener("change", pickSaved);
}
