"""A process makes its gateway client when it starts (`manage.py serve` calls
chat.gateway.warm), so the first answers after a restart do not wait while it
reads the TLS certificates."""

import httpx

from chat import gateway
from tests.support.gateway_helpers import stream, text_of


def _count_tls_contexts(monkeypatch):
    made = []
    real = httpx.create_ssl_context

    def counting(*args, **kwargs):
        made.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(httpx, "create_ssl_context", counting)
    return made


async def test_an_answer_in_a_warmed_process_makes_no_tls_context(upstream, monkeypatch):
    gateway.warm()
    made = _count_tls_contexts(monkeypatch)

    events = await stream()

    assert text_of(events) == "The image shows a red square."
    assert made == []


async def test_the_first_answer_in_a_cold_process_makes_one(upstream, monkeypatch):
    made = _count_tls_contexts(monkeypatch)

    await stream()
    await stream()

    assert made == [1]  # what warm() saves the first answer: once per process
