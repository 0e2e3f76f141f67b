import shutil
import socket
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

from chat import images
from chat.gateway import optional_fields
from chat.images import background
from chat.testing.upstream import FakeUpstream
from tests.support.images import camera_photo, image_bytes
from tests.support.live import Site
from tests.support.users import make_user

# The fuzz tests' example counts: small in the suite, "long" for a real search
# (pytest tests/images/test_fuzz_upload.py --hypothesis-profile=long).
hypothesis_settings.register_profile("suite", max_examples=40, deadline=None)
hypothesis_settings.register_profile("long", max_examples=2000, deadline=None)
hypothesis_settings.load_profile("suite")


TIERS = ("browser", "system")  # folders whose tests carry their name as a marker


def pytest_collection_modifyitems(config, items):
    """Mark tests/browser/ and tests/system/: the fast loop is -m "not browser and not system"."""
    here = Path(__file__).parent
    for item in items:
        if item.path.is_relative_to(here) and item.path.relative_to(here).parts[0] in TIERS:
            item.add_marker(item.path.relative_to(here).parts[0])


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.TOKENGATE_API_KEY = ""
    settings.TOKENGATE_MAX_RETRIES = 2
    settings.IMAGE_HISTORY_TURNS = None
    settings.IMAGE_URL_FETCH_ALL_MODELS = False
    settings.IMAGE_FETCH_ALLOWED_ADDRESSES = []
    # Blind picks reach the pair queue at random; a test that wants them says so.
    settings.REVIEW_PAIR_SAMPLE_PERCENT = 0
    # Data URIs are cached per process by content; start each test cold.
    images.data_uris.clear()
    # Models whose gateway refused an optional field are remembered per process.
    for fields in (optional_fields.IMAGE_SETTINGS, optional_fields.RESPONSE_FORMAT):
        fields.refused_models.clear()
    # A test's transaction hides its uploads from another thread.
    monkeypatch.setattr(background, "ENABLED", False)
    # Retries wait milliseconds, not seconds: the suite stays fast and never sleeps.
    settings.TOKENGATE_RETRY_BASE_SECONDS = 0.001
    settings.TOKENGATE_RETRY_MAX_SECONDS = 0.01


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
def rita(db):
    """A reviewer: staff in the "Reviewers" group."""
    from tests.support.review import make_reviewer

    return make_reviewer("rita")


@pytest.fixture
def ravi(db):
    from tests.support.review import make_reviewer

    return make_reviewer("ravi")


@pytest.fixture
def rita_client(client, rita):
    client.force_login(rita)
    return client


@pytest.fixture
def upstream(settings):
    """A fake OpenAI-compatible gateway on loopback, with the app pointed at it."""
    server = FakeUpstream().start()
    settings.TOKENGATE_BASE_URL = server.url
    settings.TOKENGATE_API_KEY = "sk-test-secret-key"
    yield server
    server.stop()


@pytest.fixture
def png():
    return image_bytes("PNG", size=(64, 48), color=(220, 30, 30))


@pytest.fixture
def jpeg():
    return image_bytes("JPEG", size=(80, 60), color=(30, 60, 220))


@pytest.fixture(scope="session")
def camera_jpeg():
    """6000×4000, stored sideways (EXIF orientation 6), with GPS: made once."""
    return camera_photo()


@pytest.fixture
def closed_port():
    """A loopback port with nothing listening: connecting is refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def full_backlog_port():
    """A loopback port whose listen backlog is full: connecting hangs until a timeout.

    Offline there is no blackhole address to time out against; Linux drops the
    SYN of a connection that a full accept queue cannot take, which is the same
    thing as far as the client can tell.
    """
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    port = listener.getsockname()[1]
    fillers = []
    for _ in range(4):
        filler = socket.socket()
        filler.setblocking(False)
        filler.connect_ex(("127.0.0.1", port))
        fillers.append(filler)
    yield port
    for sock in [*fillers, listener]:
        sock.close()


# ---- The app served by daphne subprocesses (tests/support/live.py) -----------------


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
def live_site_environment():
    """More environment for the module's live site: a module overrides this fixture."""
    return {}


@pytest.fixture(scope="session")
def migrated_database(tmp_path_factory):
    """An SQLite database migrated once, with user "alice": each live site gets a copy."""
    template = Site(tmp_path_factory.mktemp("template"))
    template.migrate()
    template.create_user("alice")
    return template.env["DATABASE_URL"].removeprefix("sqlite:///")


@pytest.fixture(scope="module")
def live_site(tmp_path_factory, live_upstream_server, live_site_environment, migrated_database):
    """One daphne process on SQLite with user "alice", talking to the fake gateway."""
    site = Site(
        tmp_path_factory.mktemp("site"),
        TOKENGATE_BASE_URL=live_upstream_server.url,
        TOKENGATE_API_KEY="sk-live-test-key",
        **live_site_environment,
    )
    try:
        shutil.copyfile(migrated_database, site.env["DATABASE_URL"].removeprefix("sqlite:///"))
        site.start_server()
        yield site
    finally:
        site.stop()


@pytest.fixture(scope="module")
def daphne_server(live_site):
    return live_site.servers[0]


# ---- The conversation page in Chromium (tests/support/browser.py) ------------------


@pytest.fixture(scope="session")
def chromium(request):
    from tests.support.browser import SharedChromium

    shared = request.session.shared_chromium = SharedChromium()
    yield shared
    shared.stop()


@pytest.fixture(scope="module")
def browser(chromium):
    return chromium.get()


@pytest.hookimpl(trylast=True)
def pytest_runtest_teardown(item, nextitem):
    """After the runner's own teardown: stop the shared Chromium when the browser tests end."""
    shared = getattr(item.session, "shared_chromium", None)
    if shared and (nextitem is None or nextitem.get_closest_marker("browser") is None):
        shared.stop()


@pytest.fixture(scope="module")
def alice_context(browser, daphne_server):
    from tests.support.browser import log_in

    context = log_in(browser, daphne_server)
    yield context
    context.close()


@pytest.fixture
def page(alice_context):
    """A new conversation of alice's, in its own tab."""
    from tests.support.browser import new_conversation

    page = new_conversation(alice_context)
    yield page
    page.close()


# ---- A real LiteLLM proxy in front of a fake gateway (tests/support/litellm_proxy.py) --


@pytest.fixture(scope="session")
def litellm_upstream():
    server = FakeUpstream().start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def litellm_proxy(tmp_path_factory, litellm_upstream):
    """Started once per session: LiteLLM takes about a minute to start."""
    from tests.support.litellm_proxy import INSTALL, LiteLLMProxy, litellm_command
    from tests.support.services import require_service

    require_service(litellm_command(), f"LiteLLM is not installed ({INSTALL})")
    proxy = LiteLLMProxy(upstream_url=litellm_upstream.url, workdir=tmp_path_factory.mktemp("ll"))
    try:
        proxy.start()
        proxy.warm_up()
        yield proxy
    finally:
        proxy.stop()


@pytest.fixture
def behind_litellm(settings, litellm_proxy, litellm_upstream):
    """The app pointed at the proxy; returns the upstream behind it, emptied for this test."""
    settings.TOKENGATE_BASE_URL = litellm_proxy.url
    settings.TOKENGATE_API_KEY = litellm_proxy.key
    litellm_upstream.reset()
    yield litellm_upstream
    litellm_upstream.release.set()
