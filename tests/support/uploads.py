"""Uploads through Django's test client, as the page's script sends them."""

from django.core.files.uploadedfile import SimpleUploadedFile


def upload(client, data, name="picture.png", detail="auto"):
    return client.post("/upload/", {"file": SimpleUploadedFile(name, data), "detail": detail})
