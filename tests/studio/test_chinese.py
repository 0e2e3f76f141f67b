"""The studio in Simplified Chinese for a visitor whose browser asks for it: the
Your images page, the markup and camera dialogs, and the markup's refusals."""

import json

from django.core.files.uploadedfile import SimpleUploadedFile

from chat.models import Conversation, ImageAttachment
from tests.support.images import image_bytes
from tests.support.uploads import upload

CHINESE = {"Accept-Language": "zh-CN,zh;q=0.9"}


def test_your_images_is_in_chinese(alice_client):
    page = alice_client.get("/images/", headers=CHINESE).content.decode()

    assert "<h1>我的图片</h1>" in page
    assert "标注过的" in page and "这里还没有图片。" in page


def test_the_markup_and_camera_dialogs_are_in_chinese(alice_client, alice):
    conversation = Conversation.objects.create(owner=alice, model="gpt-4o")

    page = alice_client.get(f"/c/{conversation.code}/", headers=CHINESE).content.decode()

    assert "绘图工具" in page and "标注后的副本" in page  # the markup editor
    assert "切换相机" in page and "使用照片" in page  # the capture dialog
    assert "宽高比" in page  # the image settings


def test_a_refused_markup_says_why_in_chinese(alice_client, png):
    image = ImageAttachment.objects.get(code=upload(alice_client, png).json()["id"])
    drawing = SimpleUploadedFile("marked.png", image_bytes("PNG", size=(2100, 100)))

    response = alice_client.post(
        f"/images/{image.code}/markup/",
        {"file": drawing, "marks": json.dumps([{"shape": "arrow", "colour": "red"}])},
        headers=CHINESE,
    )

    assert response.status_code == 400
    assert response.json()["error"] == "标注后的副本长边最多 2048 像素；这张是 2100×100。"
