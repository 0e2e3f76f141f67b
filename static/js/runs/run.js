// A run's page: a row per item, the progress, polled every second and a half
// while the run goes on (a reload or a closed tab loses nothing: the run is on
// the server). Model output is set with textContent, never as HTML.

const gettext = window.gettext || ((text) => text);
const interpolate = window.interpolate || ((text, values) => text.replace(/%\((\w+)\)s/g, (_, name) => values[name]));
const root = document.getElementById("run");
const rows = document.getElementById("run-rows");
const bar = document.getElementById("run-bar");
const counts = document.getElementById("run-counts");
const stopButton = document.getElementById("run-stop");
const retryFailed = document.getElementById("run-retry-failed");
const errorLine = document.getElementById("run-error");
const POLL_MS = 1500;
let timer = null;

function csrfToken() {
  return root.querySelector("[name=csrfmiddlewaretoken]").value;
}

function duration(seconds) {
  if (seconds < 90) return interpolate(gettext("about %(n)s s"), { n: Math.max(1, seconds) }, true);
  return interpolate(gettext("about %(n)s min"), { n: Math.ceil(seconds / 60) }, true);
}

function cell(row, index) {
  while (row.cells.length <= index) row.insertCell();
  return row.cells[index];
}

let fieldNames = [];

// An extraction's fields, a line each; a field that did not fit says why
// (the whole answer's failures are under the empty name).
function fieldsText(item) {
  const lines = fieldNames.map((name, i) => {
    const value = item.fields[i] == null ? "—" : String(item.fields[i]);
    const failed = item.errors[name];
    return failed ? `✗ ${name}: ${value} (${failed.join(" ")})` : `${name}: ${value}`;
  });
  if (item.errors[""]) lines.unshift("✗ " + item.errors[""].join(" "));
  return lines.join("\n");
}

function drawItem(item) {
  let row = rows.querySelector(`tr[data-position="${item.position}"]`);
  if (!row) {
    row = rows.insertRow();
    row.dataset.position = item.position;
    const number = cell(row, 0);
    number.textContent = item.position;
    const img = document.createElement("img");
    img.src = item.thumbnail;
    img.alt = item.page ? interpolate(gettext("page %(page)s"), { page: item.page }, true) : item.name;
    img.width = img.height = 64;
    img.loading = "lazy";
    cell(row, 1).append(img);
  }
  row.dataset.status = item.status;
  const answer = cell(row, 2);
  answer.textContent = item.status === "failed" ? item.error : item.fields ? fieldsText(item) : item.answer;
  answer.classList.toggle("run-error", item.status === "failed" || Boolean(item.errors && Object.keys(item.errors).length));
  const status = cell(row, 3);
  status.textContent = item.status_label;
  if (item.retry) {
    const retry = document.createElement("button");
    retry.type = "button";
    retry.className = "run-retry";
    retry.textContent = gettext("Retry");
    retry.dataset.url = item.retry;
    status.append(" ", retry);
  }
  cell(row, 4).textContent = item.prompt_tokens == null ? "" : `${item.prompt_tokens} + ${item.completion_tokens}`;
  cell(row, 5).textContent = item.seconds == null ? "" : `${item.seconds.toFixed(1)} s`;
}

function draw(run) {
  root.dataset.state = run.state;
  fieldNames = run.fields || [];
  bar.max = run.total;
  bar.value = run.done + run.failed;
  let text = interpolate(gettext("%(state)s: %(done)s done · %(failed)s failed · %(left)s left"),
    { state: run.state_label, done: run.done, failed: run.failed, left: run.left }, true);
  if (run.stopped) text += " · " + interpolate(gettext("%(n)s stopped"), { n: run.stopped }, true);
  if (run.seconds_left != null) text += " · " + interpolate(gettext("%(time)s left"), { time: duration(run.seconds_left) }, true);
  counts.textContent = text;
  stopButton.hidden = run.state !== "running";
  retryFailed.hidden = run.failed === 0;
  run.items.forEach(drawItem);
  clearTimeout(timer);
  if (run.state === "running" || run.state === "stopping") timer = setTimeout(poll, POLL_MS);
}

async function poll() {
  try {
    const response = await fetch(root.dataset.statusUrl, { credentials: "same-origin" });
    if (!response.ok) throw new Error(response.status);
    errorLine.hidden = true;
    draw(await response.json());
  } catch {
    // The server restarting, the network gone: keep asking, and say so.
    errorLine.textContent = gettext("Could not reach the server; trying again.");
    errorLine.hidden = false;
    clearTimeout(timer);
    timer = setTimeout(poll, POLL_MS * 2);
  }
}

async function post(url) {
  const response = await fetch(url, {
    method: "POST", headers: { "X-CSRFToken": csrfToken() }, credentials: "same-origin",
  });
  const data = await response.json();
  if (!response.ok) {
    errorLine.textContent = data.error;
    errorLine.hidden = false;
    return;
  }
  errorLine.hidden = true;
  draw(data);
}

stopButton.addEventListener("click", () => post(root.dataset.stopUrl));
retryFailed.addEventListener("click", () => post(root.dataset.retryFailedUrl));
rows.addEventListener("click", (event) => {
  const button = event.target.closest(".run-retry");
  if (button) post(button.dataset.url);
});

draw(JSON.parse(document.getElementById("run-data").textContent));
