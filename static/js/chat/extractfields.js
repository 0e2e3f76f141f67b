// "Extract these fields…": the person lists fields (a name and a type each);
// the message is sent with them as "extract", and the server checks them and
// asks the model for JSON that fits (chat/extraction/).

const panel = document.getElementById("extract-fields");
const list = document.getElementById("extract-field-list");
const rowTemplate = document.getElementById("extract-field-row");

function addField(name = "", type = "text") {
  const row = rowTemplate.content.firstElementChild.cloneNode(true);
  row.querySelector(".extract-field-name").value = name;
  row.querySelector(".extract-field-type").value = type;
  row.querySelector(".extract-field-remove").addEventListener("click", function () {
    row.remove();
    if (!list.children.length) close();
  });
  list.append(row);
  return row;
}

export function open() {
  panel.hidden = false;
  if (!list.children.length) addField();
  list.querySelector(".extract-field-name").focus();
}

export function close() {
  panel.hidden = true;
  list.replaceChildren();
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

export function start() {
  document.getElementById("extract-add-field").addEventListener("click", function () {
    addField().querySelector(".extract-field-name").focus();
  });
  document.getElementById("extract-cancel").addEventListener("click", close);
}
