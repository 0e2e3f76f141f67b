"""/readyz in process: what the runtime adds to it (chat/live/readiness.py) and a
process that is shutting down. tests/ops/test_health.py stops real services."""

import pytest

from chat.live import turns
from chat.ops.health import Probes


async def get(path):
    sent = []

    async def send(message):
        sent.append(message)

    async def app(scope, receive, send):
        raise AssertionError("a probe reached the app")

    await Probes(app)({"type": "http", "path": path}, None, send)
    return sent[0]["status"], sent[1]["body"].decode()


@pytest.mark.django_db(transaction=True)
async def test_it_lists_the_runtimes_checks_among_its_own(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path

    status, body = await get("/readyz")

    assert status == 200
    # As before the runtime registered its part: the same checks, the same order.
    assert body == (
        '{"status": "ok", "checks": {"database": "ok", "channel_layer": "ok", "storage": "ok"}}'
    )


@pytest.mark.django_db(transaction=True)
async def test_it_is_not_ready_while_the_process_shuts_down(settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(turns, "_accepting", True)  # put back afterwards
    turns.refuse_new()

    status, body = await get("/readyz")
    alive, _ = await get("/healthz")

    assert status == 503
    assert '"process": "failed: shutting down"' in body
    assert alive == 200
