import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.fake_upstream import FakeUpstream
from tests.images import image_bytes
from tests.live import Site

PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.TOKENGATE_API_KEY = ""
    settings.TOKENGATE_MAX_RETRIES = 2


def make_user(username, **kwargs):
    return get_user_model().objects.create_user(username=username, password=PASSWORD, **kwargs)


@pytest.fixture
def alice(db):
    return make_user("alice")


@pytest.fixture
def bob(db):
    return make_user("bob")


@pytest.fixture
def alice_client(client, alice):
    client.force_login(alice)
    return client


@pytest.fixture
def upstream(settings):
    """A fake OpenAI-compatible gateway on loopback, with the app pointed at it."""
    server = FakeUpstream().start()
    settings.TOKENGATE_BASE_URL = server.url
    settings.TOKENGATE_API_KEY = "sk-test-secret-key"
    yield server
    server.stop()


def upload(client, data, name="picture.png", detail="auto"):
    return client.post("/upload/", {"file": SimpleUploadedFile(name, data), "detail": detail})


@pytest.fixture
def png():
    return image_bytes("PNG", size=(64, 48), color=(220, 30, 30))


@pytest.fixture
def jpeg():
    return image_bytes("JPEG", size=(80, 60), color=(30, 60, 220))


# ---- The app served by daphne subprocesses (tests/live.py) -----------------


@pytest.fixture(scope="module")
def live_upstream_server():
    server = FakeUpstream().start()
    yield server
    server.stop()


@pytest.fixture
def live_upstream(live_upstream_server):
    """The module's fake gateway, emptied for this test; held replies let go after it."""
    live_upstream_server.reset()
    yield live_upstream_server
    live_upstream_server.release.set()


@pytest.fixture(scope="module")
def live_site(tmp_path_factory, live_upstream_server):
    """One daphne process on SQLite with user "alice", talking to the fake gateway."""
    site = Site(
        tmp_path_factory.mktemp("site"),
        TOKENGATE_BASE_URL=live_upstream_server.url,
        TOKENGATE_API_KEY="sk-live-test-key",
    )
    try:
        site.migrate()
        site.create_user("alice")
        site.start_server()
        yield site
    finally:
        site.stop()


@pytest.fixture(scope="module")
def daphne_server(live_site):
    return live_site.servers[0]
