// Quick actions for attached images: each fills in a prompt the person can
// edit before sending. "Compare" needs two images or more.

const row = document.getElementById("quick-actions");
const textBox = document.getElementById("message-text");

const PROMPTS = {
  describe: (n) =>
    n > 1
      ? "Describe each of these images in detail: what it shows, any text in it, and anything unusual."
      : "Describe this image in detail: what it shows, any text in it, and anything unusual.",
  extract: () =>
    "Extract all the text in the image exactly as written, in reading order, inside one fenced " +
    "code block. Write any tables as Markdown tables instead, outside the code block.",
  compare: (n) =>
    "Compare these " + n + " images: what they have in common, how they differ, and which " +
    "differences matter most.",
};

let count = 0;

// Called whenever the attachments change, with the number ready to send.
export function update(readyImages) {
  count = readyImages;
  row.hidden = count === 0;
  row.querySelector('[data-action="compare"]').hidden = count < 2;
}

export function start() {
  for (const button of row.querySelectorAll("button[data-action]")) {
    button.addEventListener("click", function () {
      textBox.value = PROMPTS[button.dataset.action](count);
      textBox.dispatchEvent(new Event("input")); // resize the box
      textBox.focus();
    });
  }
  update(0);
}
