"""An image or document refused, said in Simplified Chinese to a person whose
browser asks for it: whole sentences with the file's name and figures, also
when the refusal is raised on a decoding worker's thread."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from chat import images
from chat.documents.render import refusal

pytestmark = pytest.mark.django_db

CHINESE = {"Accept-Language": "zh-CN,zh;q=0.9"}


def upload(client, data, name):
    return client.post(
        "/upload/", {"file": SimpleUploadedFile(name, data), "detail": "auto"}, headers=CHINESE
    )


def test_it_refuses_a_file_that_is_not_an_image_in_chinese(alice_client):
    # Checked on a worker's thread, which starts with no language of its own.
    response = upload(alice_client, b"<html></html>", "cat.png")

    assert response.status_code == 400
    assert response.json()["error"] == (
        "无法识别“cat.png”这张图片。请上传 PNG、JPEG、GIF、WebP 或 HEIC 文件。"
    )


def test_it_refuses_an_image_over_the_size_limit_in_chinese(alice_client, png):
    response = upload(alice_client, png + b"\0" * (21 * 1024 * 1024 - len(png)), "huge.png")

    assert response.json()["error"] == "“huge.png”有 21.0 MB，图片最大只能是 20.0 MB。"


def test_it_asks_for_a_file_in_chinese(alice_client):
    response = alice_client.post("/upload/", {"detail": "auto"}, headers=CHINESE)

    assert response.json()["error"] == "没有收到文件。"


def test_a_model_image_that_is_not_kept_is_said_in_whole_sentences():
    with translation.override("zh-hans"), pytest.raises(images.ImageRejected) as refused:
        images.generated_image_bytes("data:image/png;base64,@@@")

    assert refused.value.message == "这张图片的 base64 数据已损坏。"


def test_a_protected_pdf_is_refused_in_chinese():
    with translation.override("zh-hans"):
        rejection = refusal("report.pdf", {"reason": "encrypted"}, "pdf")

    assert rejection.message == (
        "“report.pdf”设有密码保护。请另存一份不带密码的副本（打印 → 另存为 PDF），再添加那一份。"
    )
