// The composer's one-line notice: why something was refused or failed.

const notice = document.getElementById("notice");

export function showNotice(text) {
  notice.textContent = text;
  notice.hidden = !text;
}
