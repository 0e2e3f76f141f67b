// Where the composer's images come from: the file picker, a drop anywhere on
// the page, a paste into the message box, and an image URL typed in its row.
// Each hands them to the composer's attachment list (attachments.js).

const textBox = document.getElementById("message-text");
const attachButton = document.getElementById("attach");
const fileInput = document.getElementById("file-input");
const dropOverlay = document.getElementById("drop-overlay");
const addUrlButton = document.getElementById("add-url");
const urlRow = document.getElementById("url-row");
const urlInput = document.getElementById("url-input");
const urlSubmit = document.getElementById("url-submit");
const urlCancel = document.getElementById("url-cancel");

export function start(list) {
  // Add an image by URL: the server fetches it once (chat/images/fetch.py).
  function submitUrl() {
    list.addUrl(urlInput.value.trim());
    urlInput.value = "";
    urlRow.hidden = true;
  }
  addUrlButton.addEventListener("click", function () {
    urlRow.hidden = false;
    urlInput.focus();
  });
  urlSubmit.addEventListener("click", submitUrl);
  urlInput.addEventListener("keydown", function (event) {
    if (event.key === "Enter") {
      event.preventDefault();
      submitUrl();
    }
  });
  urlCancel.addEventListener("click", function () {
    urlInput.value = "";
    urlRow.hidden = true;
  });

  // Attach by picker, drag and drop, or paste.
  attachButton.addEventListener("click", () => fileInput.click());
  fileInput.addEventListener("change", function () {
    list.addFiles(Array.from(fileInput.files));
    fileInput.value = "";
  });
  // A file dropped anywhere on the page is attached: without this, a drop
  // outside the composer (on the sidebar, say) opened the file in the tab and
  // lost the draft.
  const carriesFiles = (event) => event.dataTransfer && event.dataTransfer.types.includes("Files");
  // Each element entered is left again: the drag has left the window when
  // as many dragleave events as dragenter ones have come.
  let entered = 0;
  document.addEventListener("dragenter", function (event) {
    if (!carriesFiles(event)) return;
    entered += 1;
    dropOverlay.hidden = false;
  });
  document.addEventListener("dragleave", function (event) {
    if (!carriesFiles(event)) return;
    entered = Math.max(0, entered - 1);
    if (!entered) dropOverlay.hidden = true;
  });
  document.addEventListener("dragover", function (event) {
    if (!carriesFiles(event)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "copy";
    dropOverlay.hidden = false;
  });
  document.addEventListener("drop", function (event) {
    if (!carriesFiles(event)) return;
    event.preventDefault();
    entered = 0;
    dropOverlay.hidden = true;
    list.addFiles(Array.from(event.dataTransfer.files));
  });
  textBox.addEventListener("paste", function (event) {
    const files = Array.from(event.clipboardData.files);
    if (files.length) {
      event.preventDefault();
      list.addFiles(files);
    }
  });
}
