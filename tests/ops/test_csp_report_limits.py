"""/csp-report/ needs no login, so nothing in a report may forge a log line,
and its size and rate are bounded (issue 17, finding 13). Each test failed
before: a newline in "violated-directive" started a line of its own, a 20 KB
report was read (cut, then refused as not JSON), and any number was logged."""

import json
import logging

from django.test import Client

from chat.ops import csp

FORGED = "script-src\n2026-12-03 08:00:00,000 WARNING chat.auth [-] admin logged in from 10.0.0.1"


def report(directive="script-src-elem", **extra):
    body = {"csp-report": {"violated-directive": directive,
                           "blocked-uri": "https://evil.example/x.js",
                           "document-uri": "https://chat.example/c/1/", **extra}}  # fmt: skip
    return json.dumps(body)


def post(body, address="203.0.113.7"):
    return Client(REMOTE_ADDR=address).post(
        "/csp-report/", body, content_type="application/csp-report"
    )


def formatted_lines(caplog):
    """The records as the console handler writes them (settings.LOGGING's text format)."""
    # settings.LOGGING's console handler (pytest may add its own beside it).
    handlers = logging.getLogger("chat").handlers
    handler = next(h for h in handlers if type(h) is logging.StreamHandler)
    return "\n".join(handler.formatter.format(r) for r in caplog.records).splitlines()


def test_it_writes_a_report_with_a_newline_as_one_escaped_line(caplog):
    caplog.set_level(logging.WARNING, logger="chat.csp")

    assert post(report(FORGED)).status_code == 204

    (line,) = formatted_lines(caplog)
    assert "CSP violation: script-src\\x0a2026-12-03 08:00:00,000 WARNING chat.auth" in line


def test_it_escapes_every_control_character_in_a_logged_field(caplog):
    caplog.set_level(logging.WARNING, logger="chat.csp")

    post(report("a\rb\x1b[31mc\u2028d\x85e"))

    (line,) = formatted_lines(caplog)
    assert "a\\x0db\\x1b[31mc\\u2028d\\x85e" in line


def test_it_refuses_a_report_over_the_size_limit_unlogged(caplog):
    big = report(padding="x" * csp.MAX_REPORT_BYTES)

    response = post(big)

    assert response.status_code == 413
    assert response.content == b"A CSP report may be at most 16 KB."
    assert "CSP violation" not in caplog.text


def test_it_logs_at_most_ten_reports_a_minute_from_one_address(caplog, monkeypatch):
    monkeypatch.setattr(csp.budget, "clock", lambda: 1000.0)
    statuses = [post(report()).status_code for _ in range(12)]

    assert statuses == [204] * 10 + [429] * 2
    assert caplog.text.count("CSP violation") == 10
    # Another address has its own budget.
    assert post(report(), address="198.51.100.1").status_code == 204


def test_it_bounds_the_reports_of_the_whole_process(monkeypatch):
    monkeypatch.setattr(csp.budget, "clock", lambda: 1000.0)  # no refill meanwhile
    statuses = [post(report(), address=f"10.0.{n // 250}.{n % 250}").status_code
                for n in range(csp.ALL_REPORTS_PER_MINUTE + 5)]  # fmt: skip

    assert statuses.count(204) == csp.ALL_REPORTS_PER_MINUTE
    assert statuses[-1] == 429
