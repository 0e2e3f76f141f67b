// "Take photo": on a phone (a coarse pointer) the camera itself, through a
// file input with `capture`; on a computer with a camera, a dialog with a live
// preview (getUserMedia, asked for only when the person presses the button),
// switch camera, take and retake. The photo joins the composer as any picked
// file does (sources.js), so the server's pipeline turns it upright and strips
// its metadata. The camera is released as soon as the dialog closes.

import { gettext, interpolate } from "./i18n.js";
import * as attachments from "./attachments.js";

const button = document.getElementById("take-photo");
const captureInput = document.getElementById("capture-input");
const dialog = document.getElementById("camera-dialog");
const video = dialog.querySelector(".camera-preview");
const still = dialog.querySelector(".camera-still");
const problem = dialog.querySelector(".camera-problem");
const switchButton = dialog.querySelector(".camera-switch");
const shootButton = dialog.querySelector(".camera-shoot");
const retakeButton = dialog.querySelector(".camera-retake");
const useButton = dialog.querySelector(".camera-use");

let stream = null;
let cameras = []; // the video inputs, known once the person has allowed one
let cameraIndex = 0;
let photo = null; // the Blob taken

const PROBLEMS = {
  NotAllowedError: gettext("The browser was not allowed to use the camera. Allow it in the site's settings, or attach a photo instead."),
  NotFoundError: gettext("No camera was found. Attach a photo instead."),
  NotReadableError: gettext("The camera is in use by another program. Close it and try again."),
};

function stop() {
  for (const track of stream?.getTracks() ?? []) track.stop();
  stream = null;
  video.srcObject = null;
}

function showing(taken) {
  video.hidden = taken;
  still.hidden = !taken;
  shootButton.hidden = taken;
  switchButton.hidden = taken || cameras.length < 2;
  retakeButton.hidden = useButton.hidden = !taken;
}

async function startCamera() {
  stop();
  problem.hidden = true;
  showing(false);
  const camera = cameras[cameraIndex];
  const constraints = { audio: false, video: camera ? { deviceId: { exact: camera.deviceId } } : { facingMode: "environment" } };
  try {
    stream = await navigator.mediaDevices.getUserMedia(constraints);
  } catch (error) {
    problem.textContent = PROBLEMS[error.name] || interpolate(gettext("The camera could not be started: %(error)s"), { error: error.message });
    problem.hidden = false;
    shootButton.hidden = true;
    return;
  }
  if (!dialog.open) return stop(); // closed while the browser asked
  video.srcObject = stream;
  if (!cameras.length) {
    cameras = (await navigator.mediaDevices.enumerateDevices()).filter((d) => d.kind === "videoinput");
    cameraIndex = Math.max(0, cameras.findIndex((d) => d.label && stream.getVideoTracks()[0]?.label === d.label));
  }
  switchButton.hidden = cameras.length < 2;
  shootButton.focus();
}

function shoot() {
  if (!video.videoWidth) return; // the first frame has not arrived
  const canvas = document.createElement("canvas");
  canvas.width = video.videoWidth;
  canvas.height = video.videoHeight;
  canvas.getContext("2d").drawImage(video, 0, 0);
  canvas.toBlob(function (blob) {
    photo = blob;
    if (still.src) URL.revokeObjectURL(still.src);
    still.src = URL.createObjectURL(blob);
    showing(true);
    useButton.focus();
  }, "image/jpeg", 0.92);
}

function use() {
  const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, "-");
  attachments.addFiles([new File([photo], "photo-" + stamp + ".jpg", { type: "image/jpeg" })]);
  dialog.close();
}

export function isPhone() {
  return matchMedia("(pointer: coarse)").matches;
}

export function start() {
  button.addEventListener("click", function () {
    if (isPhone() || !navigator.mediaDevices?.getUserMedia) {
      captureInput.click(); // the phone's own camera, or a file picker
      return;
    }
    photo = null;
    dialog.showModal();
    startCamera();
  });
  captureInput.addEventListener("change", function () {
    attachments.addFiles(Array.from(captureInput.files));
    captureInput.value = "";
  });
  shootButton.addEventListener("click", shoot);
  retakeButton.addEventListener("click", startCamera);
  useButton.addEventListener("click", use);
  switchButton.addEventListener("click", function () {
    cameraIndex = (cameraIndex + 1) % cameras.length;
    startCamera();
  });
  dialog.querySelector(".camera-cancel").addEventListener("click", () => dialog.close());
  dialog.addEventListener("close", function () {
    stop();
    if (still.src) URL.revokeObjectURL(still.src);
    still.removeAttribute("src");
    button.focus();
  });
}
