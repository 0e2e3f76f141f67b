// The websocket: one per page, reconnected with backoff. The protocol is
// documented in chat/consumers.py; main.js handles the events.

const connection = document.getElementById("connection");
let socket = null;
let reconnectDelay = 500;

function setConnection(state, label) {
  connection.dataset.state = state;
  connection.textContent = label;
}

export function connect(path, onEvent) {
  const scheme = location.protocol === "https:" ? "wss://" : "ws://";
  socket = new WebSocket(scheme + location.host + path);
  socket.addEventListener("open", function () {
    reconnectDelay = 500;
    setConnection("open", "Connected");
  });
  socket.addEventListener("close", function (event) {
    if (event.code === 4401) {
      location.reload(); // the session ended: the page sends us to the login
      return;
    }
    if (event.code === 4404) {
      location.assign("/"); // deleted (here or in another tab): open another one
      return;
    }
    setConnection("closed", "Disconnected, reconnecting…");
    setTimeout(() => connect(path, onEvent), reconnectDelay);
    reconnectDelay = Math.min(reconnectDelay * 2, 10000);
  });
  socket.addEventListener("message", function (frame) {
    onEvent(JSON.parse(frame.data));
  });
}

// False when the socket is not open: the caller keeps what it wanted to send.
export function send(payload) {
  if (!socket || socket.readyState !== WebSocket.OPEN) return false;
  socket.send(JSON.stringify(payload));
  return true;
}
