// The websocket: one per page. After a drop (a network blip, a laptop that
// slept, a restarting server: 4012) it reconnects with exponential backoff and
// jitter, and at once when the network or the tab comes back; each time it
// opens, and when the tab or network comes back, main.js asks the server to
// catch the page up (catchup.js), and reopens it if no answer comes. 4401 (logged out) and
// 4404 (no such conversation) end it, and the status says why. The protocol is
// documented in chat/live/consumer.py.

import { gettext } from "./i18n.js";

const connection = document.getElementById("connection");
const FIRST_DELAY = 500; // milliseconds
const LONGEST_DELAY = 15000;

let socket = null;
let failures = 0; // closes since the last open: the backoff's exponent
let retry = null; // the timer of the next attempt
let ended = false; // 4401 or 4404: nothing to reconnect to
let target = null; // {url, handlers}

function setConnection(state, ...content) {
  connection.dataset.state = state;
  connection.replaceChildren(...content);
}

function link(text, href) {
  const a = document.createElement("a");
  a.href = href;
  a.textContent = text;
  return a;
}

function open() {
  retry = null;
  const current = (socket = new WebSocket(target.url));
  current.addEventListener("open", function () {
    if (socket !== current) return;
    failures = 0;
    setConnection("open", gettext("Connected"));
    target.handlers.onOpen();
  });
  current.addEventListener("message", function (frame) {
    if (socket === current) target.handlers.onEvent(JSON.parse(frame.data));
  });
  current.addEventListener("close", function (event) {
    if (socket !== current) return; // abandoned by reopen()
    socket = null;
    target.handlers.onClose();
    if (event.code === 4401) {
      ended = true;
      const login = connection.dataset.loginUrl + "?next=" + encodeURIComponent(location.pathname);
      setConnection("ended", gettext("You are logged out. "), link(gettext("Log in"), login), gettext(" to go on."));
    } else if (event.code === 4404) {
      ended = true;
      setConnection("ended", gettext("This conversation no longer exists (it was deleted, perhaps in another tab). "), link(gettext("Open another"), "/"));
    } else {
      scheduleRetry();
    }
  });
}

// The socket looks open but the server does not answer (a laptop that slept
// keeps a connection the server closed long ago): leave it and start afresh.
export function reopen() {
  if (ended || !socket) return;
  const stale = socket;
  socket = null;
  stale.close();
  target.handlers.onClose();
  setConnection("closed", gettext("Disconnected: reconnecting…"));
  open();
}

// Exponential backoff with "equal jitter": half the delay fixed, half random,
// so that the pages of a restarted server do not all come back at once.
function scheduleRetry() {
  const delay = Math.min(LONGEST_DELAY, FIRST_DELAY * 2 ** failures);
  failures += 1;
  retry = setTimeout(open, delay / 2 + Math.random() * (delay / 2));
  if (navigator.onLine === false) setConnection("closed", gettext("Offline: reconnecting when the network is back…"));
  else setConnection("closed", gettext("Disconnected: reconnecting…"));
}

// The network or the tab is back: try now rather than at the next backoff;
// an open socket is asked to catch up, which also shows whether it still works.
function reconnectNow() {
  if (ended) return;
  if (socket?.readyState === WebSocket.OPEN) {
    target.handlers.onWake();
  } else if (!socket && retry !== null) {
    clearTimeout(retry);
    open();
  }
}

export function connect(path, handlers) {
  const scheme = location.protocol === "https:" ? "wss://" : "ws://";
  target = { url: scheme + location.host + path, handlers };
  window.addEventListener("online", reconnectNow);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") reconnectNow();
  });
  open();
}

// False when the socket is not open: the caller keeps what it wanted to send.
export function send(payload) {
  if (!socket || socket.readyState !== WebSocket.OPEN) return false;
  socket.send(JSON.stringify(payload));
  return true;
}
