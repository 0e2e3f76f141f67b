// Sizes as the page writes them. No DOM here: unit-tested under Node (tests/js/).

export function formatBytes(bytes) {
  return bytes >= 1048576 ? (bytes / 1048576).toFixed(1) + " MB" : Math.ceil(bytes / 1024) + " KB";
}
