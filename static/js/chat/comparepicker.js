// The composer's Compare control: two or three models ticked ask them all at
// once, and Blind hides their names until the pick (the server remembers the
// switch with each comparison sent). No model ticked: a normal send.

import { gettext, interpolate } from "./i18n.js";

const picker = document.getElementById("compare-picker");
const MOST = 3;

function boxes() {
  return [...picker.querySelectorAll("input[name=compare-model]")];
}

// The ticked models, or null when not comparing.
export function models() {
  const ticked = boxes().filter((box) => box.checked).map((box) => box.value);
  return ticked.length ? ticked : null;
}

export function blind() {
  return document.getElementById("compare-blind").checked;
}

function update() {
  const ticked = boxes().filter((box) => box.checked).length;
  for (const box of boxes()) box.disabled = !box.checked && ticked >= MOST;
  picker.querySelector(".compare-count").textContent = ticked ? " (" + ticked + ")" : "";
  document.getElementById("send").textContent = ticked ? gettext("Compare") : gettext("Send");
}

// A sentence when what is ticked cannot be sent.
export function refusal() {
  const ticked = models();
  return ticked && ticked.length < 2 ? gettext("Tick a second model to compare, or untick the first to send normally.") : "";
}

export function start() {
  picker.addEventListener("change", update);
  update();
}
