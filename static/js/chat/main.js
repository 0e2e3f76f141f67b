// The conversation page's entry: draws the stored transcript, starts the
// composer and settings, and dispatches the websocket's events (the protocol
// is documented in chat/live/consumer.py).

import * as announcer from "./announcer.js";
import * as attachments from "./attachments.js";
import * as camera from "./camera.js";
import { catchup as catchingUp } from "./catchup.js";
import * as composer from "./composer.js";
import * as crop from "./crop.js";
import * as drawer from "./drawer.js";
import * as edit from "./edit.js";
import * as markup from "./markup.js";
import * as older from "./older.js";
import { config } from "./page.js";
import * as quickActions from "./quickactions.js";
import * as settings from "./settings.js";
import * as share from "./share.js";
import * as shortcuts from "./shortcuts.js";
import * as sidebar from "./sidebar.js";
import * as studio from "./studio.js";
import { connect, reopen, send } from "./socket.js";
import * as transcript from "./transcript.js";
import * as viewer from "./viewer.js";

function handleEvent(event) {
  switch (event.type) {
    case "message":
      transcript.drawMessage(event.message);
      // Our own message brings the view down to it; another tab's does not.
      if (composer.messageStored()) transcript.scrollToEnd();
// A link to one message ("Your images"): shown, if it is among those drawn.
if (location.hash.startsWith("#message-")) document.getElementById(location.hash.slice(1))?.scrollIntoView();
      break;
    case "path":
      for (const message of event.messages) composer.caughtUp(message);
      for (const [message, item] of transcript.drawPath(event)) announcer.answerEnded(message, item);
      // A path from the start opens on the latest messages and says whether older ones remain.
      if ("older" in event) older.setHasOlder(event.older);
      if (!event.more) {
        // The whole version is on screen: Send or Stop as it says.
        composer.setStreaming(transcript.streamingAnswer());
        if (event.resume) composer.resumed();
      }
      break;
    case "conversation":
      sidebar.upsert(event.conversation);
      break;
    case "conversations":
      // Several started within a moment, least recently active first.
      for (const conversation of event.conversations) sidebar.upsert(conversation);
      break;
    case "conversation_deleted":
      sidebar.remove(event.code);
      break;
    case "answer":
      // Sent again, before any token, when the request left earlier turns out.
      transcript.startAnswer(event.message.id, "");
      transcript.drawMessage(event.message);
      composer.setStreaming(event.message.id);
      break;
    case "token":
      transcript.applyToken(event);
      break;
    case "image":
      transcript.addAnswerImage(event);
      break;
    case "part":
      transcript.addPart(event);
      break;
    case "done":
    case "error":
      if (event.message) {
        transcript.endAnswer(event.message.id);
        const message = transcript.wholeMessage(event.message);
        announcer.answerEnded(message, transcript.drawMessage(message));
        composer.answerEnded(event.message.id);
      } else {
        composer.sendRefused(event.error);
      }
      break;
  }
  if (!["conversation", "conversations", "conversation_deleted"].includes(event.type)) {
    transcript.follow();
  }
}

for (const message of JSON.parse(document.getElementById("initial-messages").textContent)) {
  if (message.status === "streaming") {
    transcript.startAnswer(message.id, message.text);
    composer.setStreaming(message.id);
  }
  transcript.drawMessage(message);
}
transcript.scrollToEnd();
transcript.start();
older.start();
composer.start();
settings.start();
sidebar.start();
drawer.start();
quickActions.start();
shortcuts.start();
crop.start(attachments.addStored);
viewer.start();
share.start();
studio.start();
markup.start();
camera.start();
edit.start();
const catchup = catchingUp({ send: send, reopen: reopen, shown: transcript.shownMessages });
connect(config.socketPath, {
  onOpen: catchup.resume,
  onWake: catchup.resume,
  onClose: catchup.closed,
  onEvent: (event) => catchup.arrived(event).forEach(handleEvent),
});
