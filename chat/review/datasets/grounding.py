"""Boxes drawn in review, as the datasets carry them: each a bounding box
[x, y, width, height] in pixels of the original image (origin at its top left
corner, as COCO orders them), with its label (the box's tag), whether the
model got that part wrong or right, and the reviewer's note. The original's
width and height go with them, so a reader can scale them to any copy."""


def box(b):
    return {"bbox": [b.x, b.y, b.w, b.h], "label": b.tag, "verdict": b.verdict, "note": b.note}


def of_image(image):
    return [box(b) for b in image.boxes]


def of_images(images):
    """The boxes of an example's images, each naming its image by position
    (0 for the first image_url of the example) and id."""
    return [
        {"image": n, "image_id": image.code, "width": image.width, "height": image.height,
         **box(b)}
        for n, image in enumerate(images) for b in image.boxes
    ]  # fmt: skip
