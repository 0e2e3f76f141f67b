"""One item's gateway request: the run's prompt and the item's image (and the
page's text layer when its document sends it; and, when the run extracts
fields, the schema as chat/extraction/ asks for it), alone, with no conversation
around it; and the same request as review sees it, the image named rather
than inlined."""

import copy

from chat import extraction, images
from chat.live.request_body import SYSTEM_PROMPT


def build(item):
    """(body sent to the gateway, the body as stored for review) for `item`."""
    run, image = item.run, item.image
    kind = images.resolve_detail(image.width, image.height, image.detail)
    url = images.data_uri(images.derivative_for(image, kind))
    content = [
        {"type": "text", "text": run.prompt},
        {"type": "image_url", "image_url": {"url": url, "detail": kind}},
    ]
    document = image.document
    if document is not None and document.send_text and (text := document.page_text(image.page)):
        label = f"Text layer of page {image.page} of “{document.name}”:"
        content.append({"type": "text", "text": f"{label}\n{text}"})
    system = [{"role": "system", "content": SYSTEM_PROMPT}]
    if run.schema:
        system.append({"role": "system", "content": extraction.instruction_for(run.schema)})
    body = {"model": run.model, "messages": [*system, {"role": "user", "content": content}]}
    if run.schema and (response_format := extraction.response_format_for(run.model, run.schema)):
        body["response_format"] = response_format
    stored = copy.deepcopy(body)
    stored["messages"][-1]["content"][1]["image_url"]["url"] = (
        f"image {image.code} at {kind} detail"
    )
    return body, stored
