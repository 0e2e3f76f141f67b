// The conversation page: draws the transcript, uploads images, and speaks the
// websocket protocol documented in chat/consumers.py.
(function () {
  "use strict";

  const root = document.getElementById("conversation");
  const transcript = document.getElementById("transcript");
  const emptyHint = document.getElementById("empty-hint");
  const composer = document.getElementById("composer");
  const textBox = document.getElementById("message-text");
  const modelPicker = document.getElementById("model");
  const detailPicker = document.getElementById("detail");
  const sendButton = document.getElementById("send");
  const stopButton = document.getElementById("stop");
  const attachButton = document.getElementById("attach");
  const fileInput = document.getElementById("file-input");
  const attachmentList = document.getElementById("attachments");
  const notice = document.getElementById("notice");
  const connection = document.getElementById("connection");
  const dropOverlay = document.getElementById("drop-overlay");
  const title = document.getElementById("conversation-title");
  const addUrlButton = document.getElementById("add-url");
  const urlRow = document.getElementById("url-row");
  const urlInput = document.getElementById("url-input");
  const urlSubmit = document.getElementById("url-submit");
  const urlCancel = document.getElementById("url-cancel");
  const imageHistoryPicker = document.getElementById("image-history");

  const maxImages = Number(root.dataset.maxImages);
  const maxBytes = Number(root.dataset.maxBytes);

  const messageElements = new Map(); // message id -> <li>
  const answerTexts = new Map(); // streaming answer id -> text so far
  const answerImages = new Map(); // streaming answer id -> images it generated so far
  // {name, file, id, status, error, element, detail (null: the message's), estimates, animated}
  let attachments = [];
  let streamingAnswer = null;
  let awaitingEcho = false; // our "send" is in flight: clear the composer when it is stored
  let socket = null;
  let reconnectDelay = 500;

  // ---- Drawing messages ---------------------------------------------------

  function formatBytes(bytes) {
    return bytes >= 1048576 ? (bytes / 1048576).toFixed(1) + " MB" : Math.ceil(bytes / 1024) + " KB";
  }

  function metaLine(message) {
    const parts = [message.model];
    if (message.prompt_tokens != null) {
      parts.push(message.prompt_tokens + " + " + message.completion_tokens + " tokens");
    } else if (message.completion_tokens != null) {
      parts.push(message.completion_tokens + " tokens");
    }
    if (message.first_token_ms != null) parts.push("first token " + (message.first_token_ms / 1000).toFixed(2) + " s");
    if (message.total_ms != null) parts.push("total " + (message.total_ms / 1000).toFixed(2) + " s");
    return parts.filter(Boolean).join(" · ");
  }

  function imageStrip(images) {
    const strip = document.createElement("div");
    strip.className = "images";
    for (const image of images) {
      const link = document.createElement("a");
      link.href = image.url;
      link.target = "_blank";
      const img = document.createElement("img");
      img.src = image.thumbnail_url;
      img.alt = (image.name || image.format + " image") + ", " + image.width + "×" + image.height;
      img.title = img.alt + ", detail " + image.detail +
        (image.tokens != null ? ", ≈ " + image.tokens + " input tokens" : "") +
        (image.animated ? ". GIF: the model sees the first frame" : "");
      link.append(img);
      strip.append(link);
    }
    return strip;
  }

  function drawMessage(message) {
    let item = messageElements.get(message.id);
    if (!item) {
      item = document.createElement("li");
      item.dataset.messageId = message.id;
      messageElements.set(message.id, item);
      transcript.append(item);
      emptyHint.hidden = true;
    }
    item.className = "message " + message.role + " " + message.status;
    item.dataset.status = message.status;
    item.replaceChildren();

    const images = message.images.length ? message.images : answerImages.get(message.id) ?? [];
    if (images.length) item.append(imageStrip(images));
    const body = document.createElement("div");
    body.className = "body";
    if (message.role === "assistant" && message.status !== "streaming") {
      // Rendered from markdown and sanitized on the server (chat/markdown.py).
      body.innerHTML = message.html;
    } else {
      body.textContent = message.role === "assistant" ? answerTexts.get(message.id) ?? message.text : message.text;
      if (message.status === "streaming") body.classList.add("streaming");
    }
    if (message.role === "user" || body.textContent || message.status === "streaming") item.append(body);

    if (message.role === "assistant" && (message.dropped_turns || message.dropped_images)) {
      const note = document.createElement("p");
      note.className = "left-out";
      note.textContent = leftOutText(message);
      item.prepend(note);
    }

    if (message.role === "assistant") {
      const problem = problemText(message);
      if (problem) {
        const box = document.createElement("p");
        box.className = "problem";
        box.textContent = problem;
        item.append(box);
      }
      if (message.status !== "streaming") {
        const meta = document.createElement("div");
        meta.className = "meta";
        meta.textContent = metaLine(message);
        item.append(meta);
      }
    }
    return item;
  }

  function plural(count, word) {
    return count + " " + word + (count === 1 ? "" : "s");
  }

  // What chat/history.py left out of the request for this answer, and why:
  // whole turns go only for the history budget; images alone, for the
  // conversation's image-history setting.
  function leftOutText(message) {
    const turns = message.dropped_turns;
    const images = message.dropped_images;
    const parts = [];
    if (turns) parts.push(plural(turns, "earlier turn"));
    if (images) parts.push(plural(images, "earlier image"));
    const why = !turns ? "by this conversation's image-history setting"
      : turns && images ? "to fit the history budget and the image-history setting"
      : "to fit the history budget";
    return parts.join(" and ") + (turns + images > 1 ? " were" : " was") + " left out of this request, " + why + ".";
  }

  function problemText(message) {
    if (message.status === "stopped") return "Stopped. The text above is what arrived before the stop.";
    if (message.status === "error") return message.error || "The answer failed.";
    return message.notice || ""; // e.g. "The answer was cut at the token limit."
  }

  function scrollToEnd() {
    transcript.scrollTop = transcript.scrollHeight;
  }

  function setStreaming(answerId) {
    streamingAnswer = answerId;
    stopButton.hidden = answerId === null;
    sendButton.hidden = answerId !== null;
  }

  // ---- Tokens: append in order, ignore repeats, resync on a gap -------------

  function applyToken(event) {
    const current = answerTexts.get(event.message) ?? "";
    if (event.offset > current.length) {
      send({ action: "sync" });
      return;
    }
    if (event.offset + event.text.length <= current.length) return;
    const text = current.slice(0, event.offset) + event.text;
    answerTexts.set(event.message, text);
    const item = messageElements.get(event.message);
    const body = item && item.querySelector(".body");
    if (body) {
      body.textContent = text;
      scrollToEnd();
    }
  }

  // An image model's picture arrives while the answer streams: show it at once.
  function addAnswerImage(event) {
    const images = answerImages.get(event.message) ?? [];
    if (images.some((image) => image.id === event.image.id)) return; // a resync repeats them
    images.push(event.image);
    answerImages.set(event.message, images);
    const item = messageElements.get(event.message);
    if (!item) return;
    const strip = item.querySelector(".images");
    if (strip) strip.replaceWith(imageStrip(images));
    else item.prepend(imageStrip(images));
  }

  // A conversation joins the sidebar with its first message.
  function showInSidebar(text) {
    const list = document.querySelector(".conversation-list");
    if (list.querySelector('[aria-current="page"]')) return;
    const name = text.split(/\s+/).join(" ").trim().slice(0, 60) || "Image conversation";
    if (title.textContent === "New conversation") title.textContent = name;
    const link = document.createElement("a");
    link.href = location.pathname;
    link.setAttribute("aria-current", "page");
    link.textContent = name;
    list.querySelector("p.muted")?.remove();
    list.prepend(link);
  }

  // ---- The websocket ------------------------------------------------------

  function setConnection(state, label) {
    connection.dataset.state = state;
    connection.textContent = label;
  }

  function connect() {
    const scheme = location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(scheme + location.host + root.dataset.socketPath);
    socket.addEventListener("open", function () {
      reconnectDelay = 500;
      setConnection("open", "Connected");
    });
    socket.addEventListener("close", function (event) {
      if (event.code === 4401) {
        location.reload(); // the session ended: the page sends us to the login
        return;
      }
      setConnection("closed", "Disconnected, reconnecting…");
      setTimeout(connect, reconnectDelay);
      reconnectDelay = Math.min(reconnectDelay * 2, 10000);
    });
    socket.addEventListener("message", function (frame) {
      handleEvent(JSON.parse(frame.data));
    });
  }

  function send(payload) {
    if (!socket || socket.readyState !== WebSocket.OPEN) return false;
    socket.send(JSON.stringify(payload));
    return true;
  }

  function handleEvent(event) {
    switch (event.type) {
      case "message":
        drawMessage(event.message);
        if (awaitingEcho) clearComposer();
        showInSidebar(event.message.text);
        break;
      case "answer":
        // Sent again, before any token, when the request left earlier turns out.
        if (!answerTexts.has(event.message.id)) answerTexts.set(event.message.id, "");
        drawMessage(event.message);
        setStreaming(event.message.id);
        break;
      case "token":
        applyToken(event);
        break;
      case "image":
        addAnswerImage(event);
        break;
      case "done":
      case "error":
        if (event.message) {
          answerTexts.delete(event.message.id);
          answerImages.delete(event.message.id);
          drawMessage(event.message);
          if (streamingAnswer === event.message.id) setStreaming(null);
        } else {
          awaitingEcho = false;
          sendButton.disabled = false;
          showNotice(event.error);
        }
        break;
    }
    scrollToEnd();
  }

  // ---- Attachments --------------------------------------------------------

  function showNotice(text) {
    notice.textContent = text;
    notice.hidden = !text;
  }

  function csrfToken() {
    return composer.ownerDocument.querySelector("[name=csrfmiddlewaretoken]").value;
  }

  function drawAttachment(attachment) {
    const item = attachment.element || document.createElement("li");
    attachment.element = item;
    item.className = "attachment " + attachment.status;
    item.replaceChildren();
    const img = document.createElement("img");
    // An image URL has no preview until the server has fetched it: an empty
    // frame rather than a broken image with the whole URL as its alt text.
    if (attachment.previewUrl) img.src = attachment.previewUrl;
    img.alt = attachment.previewUrl ? attachment.name : "";
    // A browser that cannot draw the file itself (HEIC in Chromium) shows an
    // empty frame until the server's thumbnail arrives.
    img.addEventListener("error", function () {
      img.removeAttribute("src");
      img.alt = "";
    });
    const caption = document.createElement("span");
    caption.textContent =
      attachment.status === "failed" ? attachment.error
      : attachment.status === "uploading" ? "Uploading…"
      : attachment.info;
    item.append(img, caption);
    if (attachment.status === "ready") {
      if (attachment.animated) {
        const note = document.createElement("span");
        note.className = "note";
        note.textContent = "GIF: the model sees the first frame";
        item.append(note);
      }
      // Detail for this image; until the user picks one it follows the message's.
      const select = document.createElement("select");
      select.setAttribute("aria-label", "Detail for " + attachment.name);
      for (const level of ["auto", "low", "high"]) select.add(new Option(level, level));
      select.value = detailOf(attachment);
      select.addEventListener("change", function () {
        attachment.detail = select.value;
        drawAttachment(attachment);
      });
      const estimate = document.createElement("span");
      estimate.className = "estimate";
      estimate.textContent = estimateText(attachment);
      item.append(select, estimate);
    }
    const remove = document.createElement("button");
    remove.type = "button";
    remove.className = "remove";
    remove.textContent = "×";
    remove.setAttribute("aria-label", "Remove " + attachment.name);
    remove.addEventListener("click", function () {
      attachments = attachments.filter((a) => a !== attachment);
      item.remove();
      if (attachment.file) URL.revokeObjectURL(attachment.previewUrl);
      updateSendState();
    });
    item.append(remove);
    if (!item.parentNode) attachmentList.append(item);
  }

  function detailOf(attachment) {
    return attachment.detail || detailPicker.value;
  }

  // The server's estimate (chat/images.py) for the chosen model and detail.
  function estimateText(attachment) {
    const perModel = attachment.estimates && attachment.estimates[modelPicker.value];
    if (!perModel) return "";
    return "≈ " + perModel[detailOf(attachment)] + " input tokens";
  }

  function redrawReadyAttachments() {
    for (const attachment of attachments) if (attachment.status === "ready") drawAttachment(attachment);
  }

  function updateSendState() {
    sendButton.disabled = awaitingEcho || attachments.some((a) => a.status === "uploading");
  }

  async function upload(attachment) {
    const form = new FormData();
    if (attachment.file) form.append("file", attachment.file);
    else form.append("url", attachment.url);
    form.append("detail", detailOf(attachment));
    try {
      const response = await fetch(attachment.file ? root.dataset.uploadUrl : root.dataset.uploadUrlUrl, {
        method: "POST",
        body: form,
        headers: { "X-CSRFToken": csrfToken() },
        credentials: "same-origin",
      });
      const payload = await response.json().catch(() => ({ error: "The server answered " + response.status + "." }));
      if (!response.ok) throw new Error(payload.error);
      attachment.id = payload.id;
      attachment.status = "ready";
      attachment.estimates = payload.estimates;
      attachment.animated = payload.animated;
      // A URL has no local file to preview, and most browsers cannot draw HEIC:
      // show the server's thumbnail instead.
      if (!attachment.file || payload.format === "HEIF") {
        if (attachment.file) URL.revokeObjectURL(attachment.previewUrl);
        attachment.previewUrl = payload.thumbnail_url;
      }
      const format = payload.format === "HEIF" ? "HEIC → JPEG" : payload.format;
      attachment.info = format + " " + payload.width + "×" + payload.height + " · " + formatBytes(payload.size);
    } catch (error) {
      attachment.status = "failed";
      attachment.error = error.message || "Upload failed.";
    }
    drawAttachment(attachment);
    updateSendState();
  }

  function roomFor(name) {
    const kept = attachments.filter((a) => a.status !== "failed").length;
    if (kept < maxImages) return true;
    showNotice("A message can carry at most " + maxImages + " images; “" + name + "” was not added.");
    return false;
  }

  function addUrl(url) {
    showNotice("");
    if (!url) return;
    if (!url.startsWith("https://")) {
      showNotice("Only https:// image URLs can be added.");
      return;
    }
    if (!roomFor(url)) return;
    const attachment = { url: url, name: url, detail: null, status: "uploading", previewUrl: "" };
    attachments.push(attachment);
    drawAttachment(attachment);
    upload(attachment);
    updateSendState();
  }

  function addFiles(files) {
    showNotice("");
    for (const file of files) {
      if (!roomFor(file.name)) break;
      // The server checks the bytes; this only saves uploading an obvious non-image.
      if (file.type && !file.type.startsWith("image/")) {
        showNotice("“" + file.name + "” is not an image. Attach PNG, JPEG, GIF, WebP or HEIC files.");
        continue;
      }
      if (file.size > maxBytes) {
        showNotice("“" + file.name + "” is " + formatBytes(file.size) + "; images must be at most " + formatBytes(maxBytes) + ".");
        continue;
      }
      const attachment = { file: file, name: file.name, detail: null, status: "uploading", previewUrl: URL.createObjectURL(file) };
      attachments.push(attachment);
      drawAttachment(attachment);
      upload(attachment);
    }
    updateSendState();
  }

  function clearComposer() {
    awaitingEcho = false;
    textBox.value = "";
    autosize();
    for (const attachment of attachments) if (attachment.file) URL.revokeObjectURL(attachment.previewUrl);
    attachments = [];
    attachmentList.replaceChildren();
    updateSendState();
  }

  // ---- Sending and stopping ----------------------------------------------

  function submit() {
    const ready = attachments.filter((a) => a.status === "ready");
    const text = textBox.value.trim();
    if (attachments.some((a) => a.status === "uploading")) return;
    if (!text && !ready.length) {
      showNotice("Write a message or attach an image.");
      return;
    }
    if (streamingAnswer !== null) {
      showNotice("The previous answer is still streaming: wait for it or stop it first.");
      return;
    }
    const sent = send({
      action: "send",
      text: text,
      model: modelPicker.value,
      images: ready.map((a) => ({ id: a.id, detail: detailOf(a) })),
    });
    if (!sent) {
      showNotice("Not connected to the server; your message is kept here. Reconnecting…");
      return;
    }
    showNotice("");
    awaitingEcho = true;
    updateSendState();
  }

  function autosize() {
    textBox.style.height = "auto";
    textBox.style.height = textBox.scrollHeight + "px";
  }

  composer.addEventListener("submit", function (event) {
    event.preventDefault();
    submit();
  });

  // Enter sends; Shift+Enter (or an IME composing) makes a new line.
  textBox.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      submit();
    }
  });
  textBox.addEventListener("input", autosize);

  stopButton.addEventListener("click", function () {
    if (streamingAnswer !== null) send({ action: "stop", message: streamingAnswer });
  });

  // Estimates follow the model and the message's detail level.
  modelPicker.addEventListener("change", redrawReadyAttachments);
  detailPicker.addEventListener("change", redrawReadyAttachments);

  // Add an image by URL: the server fetches it once (chat/fetch.py).
  addUrlButton.addEventListener("click", function () {
    urlRow.hidden = false;
    urlInput.focus();
  });
  function submitUrl() {
    addUrl(urlInput.value.trim());
    urlInput.value = "";
    urlRow.hidden = true;
  }
  urlSubmit.addEventListener("click", submitUrl);
  urlInput.addEventListener("keydown", function (event) {
    if (event.key === "Enter") {
      event.preventDefault();
      submitUrl();
    }
  });
  urlCancel.addEventListener("click", function () {
    urlInput.value = "";
    urlRow.hidden = true;
  });

  // The conversation's image-history policy, stored on the server.
  imageHistoryPicker.addEventListener("change", async function () {
    const form = new FormData();
    form.append("value", imageHistoryPicker.value);
    const response = await fetch(root.dataset.imageHistoryUrl, {
      method: "POST",
      body: form,
      headers: { "X-CSRFToken": csrfToken() },
      credentials: "same-origin",
    });
    if (!response.ok) showNotice("The image-history setting could not be saved.");
  });

  // Attach by picker, drag and drop, or paste.
  attachButton.addEventListener("click", () => fileInput.click());
  fileInput.addEventListener("change", function () {
    addFiles(Array.from(fileInput.files));
    fileInput.value = "";
  });
  root.addEventListener("dragover", function (event) {
    if (!event.dataTransfer.types.includes("Files")) return;
    event.preventDefault();
    dropOverlay.hidden = false;
  });
  root.addEventListener("dragleave", function (event) {
    if (event.target === root || !root.contains(event.relatedTarget)) dropOverlay.hidden = true;
  });
  root.addEventListener("drop", function (event) {
    event.preventDefault();
    dropOverlay.hidden = true;
    addFiles(Array.from(event.dataTransfer.files));
  });
  textBox.addEventListener("paste", function (event) {
    const files = Array.from(event.clipboardData.files);
    if (files.length) {
      event.preventDefault();
      addFiles(files);
    }
  });

  // ---- Start --------------------------------------------------------------

  for (const message of JSON.parse(document.getElementById("initial-messages").textContent)) {
    if (message.status === "streaming") {
      answerTexts.set(message.id, message.text);
      setStreaming(message.id);
    }
    drawMessage(message);
  }
  scrollToEnd();
  textBox.focus();
  connect();
})();
