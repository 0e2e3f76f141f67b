// The new-run page: images uploaded one after another as they are chosen
// (through the same /upload/ as the composer's), then the run started on them.

const gettext = window.gettext || ((text) => text);
const interpolate = window.interpolate || ((text, values) => text.replace(/%\((\w+)\)s/g, (_, name) => values[name]));
const root = document.getElementById("new-run");
const files = document.getElementById("run-files");
const thumbs = document.getElementById("run-thumbs");
const statusLine = document.getElementById("run-upload-status");
const errorLine = document.getElementById("run-error");
const startButton = document.getElementById("run-start");
const codes = [];
let uploading = 0;

function csrfToken() {
  return root.querySelector("[name=csrfmiddlewaretoken]").value;
}

function showError(text) {
  errorLine.textContent = text;
  errorLine.hidden = !text;
}

function drawStatus() {
  statusLine.textContent = uploading
    ? interpolate(gettext("%(ready)s images ready, %(left)s uploading…"), { ready: codes.length, left: uploading }, true)
    : interpolate(gettext("%(ready)s images ready."), { ready: codes.length }, true);
  startButton.disabled = uploading > 0;
}

async function uploadOne(file) {
  const form = new FormData();
  form.append("file", file);
  form.append("detail", "auto");
  const response = await fetch(root.dataset.uploadUrl, {
    method: "POST", body: form, headers: { "X-CSRFToken": csrfToken() }, credentials: "same-origin",
  });
  const data = await response.json();
  if (!response.ok) throw new Error(data.error);
  codes.push(data.id);
  const item = document.createElement("li");
  const img = document.createElement("img");
  img.src = data.thumbnail_url;
  img.alt = file.name;
  img.width = img.height = 64;
  item.append(img);
  thumbs.append(item);
}

files.addEventListener("change", async function () {
  const chosen = [...files.files];
  files.value = "";
  uploading += chosen.length;
  drawStatus();
  for (const file of chosen) {
    try {
      await uploadOne(file);
    } catch (error) {
      showError(interpolate(gettext("“%(name)s” was not added: %(reason)s"), { name: file.name, reason: error.message }, true));
    }
    uploading -= 1;
    drawStatus();
  }
});

startButton.addEventListener("click", async function () {
  showError("");
  const form = new FormData();
  form.append("prompt", document.getElementById("run-prompt").value);
  form.append("model", document.getElementById("run-model").value);
  for (const code of codes) form.append("images", code);
  startButton.disabled = true;
  try {
    const response = await fetch(root.dataset.startUrl, {
      method: "POST", body: form, headers: { "X-CSRFToken": csrfToken() }, credentials: "same-origin",
    });
    const data = await response.json();
    if (!response.ok) throw new Error(data.error);
    window.location.assign(data.url);
  } catch (error) {
    showError(error.message);
    startButton.disabled = false;
  }
});

drawStatus();
