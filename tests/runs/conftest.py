import pytest

from tests.support.images import image_bytes
from tests.support.uploads import upload


@pytest.fixture(autouse=True)
def _run_settings(settings):
    settings.LIMIT_UPLOADS_PER_MINUTE = 0
    settings.LIMIT_MESSAGES_PER_MINUTE = 0


@pytest.fixture
def upload_images(alice_client):
    """Upload `count` images, each a different colour; return their codes in order."""

    def make(count):
        codes = []
        for number in range(count):
            data = image_bytes("PNG", size=(40, 30), color=(number * 5 % 256, 80, 200))
            response = upload(alice_client, data, name=f"receipt-{number + 1}.png")
            assert response.status_code == 201, response.content
            codes.append(response.json()["id"])
        return codes

    return make
