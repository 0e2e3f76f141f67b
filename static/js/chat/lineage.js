// The viewer's lineage strip and before/after comparison (chat/studio/
// lineage.py): the images an image was made from and made into, oldest first,
// each a click away, and a slider over an image and the one before it.
//
// The slider clips the "before" picture with a clip-path set through the
// CSSOM, which the page's Content-Security-Policy allows.

import { gettext, interpolate } from "./i18n.js";
import { viewerItem } from "./vieweritem.js";

const KINDS = { generated: gettext("made by the model"), reused: gettext("attached again"), markup: gettext("marked up") };

// Draw the strip of `item` into `strip`; `onPick(items, index)` opens a step.
// Returns the step before `item` (for the comparison), or null.
export async function drawLineage(item, strip, onPick) {
  strip.replaceChildren();
  strip.hidden = true;
  if (!item.lineageUrl) return null;
  let steps;
  try {
    const response = await fetch(item.lineageUrl, { credentials: "same-origin" });
    if (!response.ok) return null;
    steps = (await response.json()).steps;
  } catch {
    return null; // the strip is a convenience: the image itself is shown
  }
  if (steps.length < 2) return null;
  const items = steps.map(viewerItem);
  const here = steps.findIndex((step) => step.id === item.id);
  const label = document.createElement("span");
  label.className = "lineage-label";
  label.textContent = gettext("Lineage");
  strip.append(label);
  steps.forEach(function (step, index) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "lineage-step";
    const words = index === 0 ? gettext("Original")
      : interpolate(gettext("Step %(number)s, %(kind)s"), { number: index + 1, kind: KINDS[step.kind] || step.kind });
    const name = step.name || interpolate(gettext("%(format)s image"), { format: step.format });
    button.setAttribute("aria-label", interpolate(gettext("%(step)s: %(name)s"), { step: words, name: name }));
    button.title = button.getAttribute("aria-label");
    if (index === here) button.setAttribute("aria-current", "true");
    const img = document.createElement("img");
    img.src = step.thumbnail_url;
    img.alt = "";
    button.append(img);
    button.addEventListener("click", () => onPick(items, index));
    strip.append(button);
  });
  strip.hidden = false;
  return here > 0 ? items[here - 1] : null;
}

// The slider's value (0 to 100) as the clip of the "before" picture: it shows
// to the left of the handle, the image itself to the right.
export function clipBefore(before, value) {
  before.style.clipPath = "inset(0 " + (100 - value) + "% 0 0)";
}
