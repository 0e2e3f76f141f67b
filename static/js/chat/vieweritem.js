// What the viewer needs of an image payload. A module of its own because the
// viewer's lineage strip and the transcript both use it, and render.js imports
// the viewer: an import cycle here breaks collectstatic's manifest.

import { gettext, interpolate } from "./i18n.js";
import { formatBytes } from "./format.js";

// An image as the viewer shows it: the display copy (at most 2048 px) first,
// the original (where the browser can draw it) on "Original size" or a zoom
// past 100 %.
export function viewerItem(image) {
  return {
    id: image.id,
    src: image.display_url || image.view_url || image.url,
    original: image.view_url || image.url,
    width: image.width,
    height: image.height,
    lineageUrl: image.lineage_url,
    name: image.name || interpolate(gettext("%(format)s image"), { format: image.format }),
    details: interpolate(gettext("original %(width)s×%(height)s · %(size)s"), {
      width: image.width, height: image.height, size: formatBytes(image.size),
    }),
  };
}
