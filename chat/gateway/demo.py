"""The offline demo model: answers without a gateway, and says so.

It takes exactly the OpenAI-shaped request the real client would send, decodes
its images, and streams back a description of what it received, so a first run
with no API key shows the whole path from upload to streamed answer.
"""

import asyncio
import base64
import binascii
import io

from PIL import Image, UnidentifiedImageError

from chat.gateway.events import Finished, TextDelta

MODEL_ID = "offline-demo"
LABEL = "Offline demo (no gateway key set)"
WORDS_PER_CHUNK = 2
SECONDS_PER_CHUNK = 0.02

COLOUR_NAMES = {
    "black": (0, 0, 0),
    "white": (255, 255, 255),
    "grey": (128, 128, 128),
    "red": (220, 30, 30),
    "orange": (245, 140, 20),
    "yellow": (240, 220, 40),
    "green": (40, 170, 60),
    "cyan": (40, 200, 220),
    "blue": (40, 80, 220),
    "purple": (140, 60, 180),
    "pink": (240, 130, 190),
    "brown": (130, 80, 40),
}


def _colour_name(rgb):
    return min(
        COLOUR_NAMES,
        key=lambda name: sum((a - b) ** 2 for a, b in zip(rgb, COLOUR_NAMES[name], strict=True)),
    )


def dominant_colours(image, count=3):
    """Return [(colour name, share of pixels in %)], largest share first."""
    small = image.convert("RGB").resize((64, 64))
    shares = {}
    for pixels, rgb in small.getcolors(64 * 64):
        name = _colour_name(rgb)
        shares[name] = shares.get(name, 0) + pixels
    ranked = sorted(shares.items(), key=lambda item: item[1], reverse=True)[:count]
    return [(name, round(100 * pixels / (64 * 64))) for name, pixels in ranked]


def describe_image_part(part):
    image_url = part["image_url"]
    url, detail = image_url["url"], image_url.get("detail", "auto")
    if not url.startswith("data:"):
        return f"an image at {url} (detail {detail}); the offline demo cannot fetch URLs"
    try:
        data = base64.b64decode(url.split(",", 1)[1], validate=True)
        with Image.open(io.BytesIO(data)) as image:
            colours = ", ".join(f"{name} {share}%" for name, share in dominant_colours(image))
            return (
                f"a {image.format} image, {image.width}×{image.height} pixels, "
                f"{len(data):,} bytes, detail {detail}; dominant colours: {colours}"
            )
    except (IndexError, binascii.Error, UnidentifiedImageError, OSError):
        return "an image I could not decode"


def _parts(message):
    content = message["content"]
    return [{"type": "text", "text": content}] if isinstance(content, str) else content


def describe_request(body):
    messages = body["messages"]
    user_turns = [m for m in messages if m["role"] == "user"]
    latest = _parts(user_turns[-1]) if user_turns else []
    images = [p for p in latest if p["type"] == "image_url"]
    text = " ".join(p["text"] for p in latest if p["type"] == "text").strip()
    earlier_images = sum(1 for m in user_turns[:-1] for p in _parts(m) if p["type"] == "image_url")

    lines = [
        "I am the offline demo model, not a real vision model: no gateway key is set, "
        "so I can only report what the app sent me.",
        "",
    ]
    if images:
        count = "1 image" if len(images) == 1 else f"{len(images)} images"
        lines.append(f"This message carries {count}:")
        lines += [f"- Image {n}: {describe_image_part(p)}." for n, p in enumerate(images, 1)]
    else:
        lines.append("This message carries no image.")
    lines += ["", f"Your text: “{text}”" if text else "You sent no text."]
    if len(user_turns) > 1:
        lines += [
            "",
            f"Earlier in this conversation: {len(user_turns) - 1} user turn(s) "
            f"with {earlier_images} image(s), all sent again with this request.",
        ]
    return "\n".join(lines)


async def stream_chat(*, body):
    reply = describe_request(body)
    words = reply.split(" ")
    for start in range(0, len(words), WORDS_PER_CHUNK):
        chunk = " ".join(words[start : start + WORDS_PER_CHUNK])
        yield TextDelta(chunk if start == 0 else " " + chunk)
        await asyncio.sleep(SECONDS_PER_CHUNK)
    yield Finished("stop", prompt_tokens=None, completion_tokens=len(words))
