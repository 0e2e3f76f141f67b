"""Images, from intake to what the model gets:

- `intake`: check by content, store the original once by hash, thumbnail;
- `derivatives`: what is sent per detail level, encoded once and cached;
- `tokens`: the sizes providers resize to and the input tokens they bill;
- `crops`: a region cut from a stored original (region zoom).

The names callers use are importable from `chat.images` itself.
"""

from chat.images.crops import crop
from chat.images.derivatives import (
    data_uri,
    data_uris,
    derivative_for,
    encode_derivative,
    get_derivative,
    make_derivative,
    read_image,
    save_derivative,
)
from chat.images.intake import (
    CheckedImage,
    ImageRejected,
    Prepared,
    check_image,
    check_size,
    generated_image_bytes,
    make_thumbnail,
    prepare,
    store_generated_image,
    store_image,
)
from chat.images.tokens import derivative_size, estimate_tokens, estimates, resolve_detail

__all__ = [
    "CheckedImage", "ImageRejected", "Prepared", "check_image", "check_size", "crop", "data_uri",
    "data_uris", "derivative_for", "derivative_size", "encode_derivative", "estimate_tokens",
    "estimates", "generated_image_bytes", "get_derivative", "make_derivative", "make_thumbnail",
    "prepare", "read_image", "resolve_detail", "save_derivative", "store_generated_image",
    "store_image",
]  # fmt: skip
