"""The signed, expiring image links an SFT file may carry instead of data:
URIs: a fine-tuning service fetches them without an account, so the link
itself is the permission (signed, with its expiry inside the signature)."""

from django.http import FileResponse, Http404

from chat import images
from chat.models import ImageAttachment
from chat.review.datasets.prompts import read_link


def signed_image(request, token):
    pk = read_link(token)
    attachment = ImageAttachment.objects.filter(pk=pk).first() if pk is not None else None
    if attachment is None:
        raise Http404("This link is not valid or has expired.")
    derivative = images.derivative_for(attachment)
    response = FileResponse(derivative.file.open("rb"), content_type=derivative.mime)
    response["Cache-Control"] = "private, no-store"
    return response
