"""require_service: skip on a developer machine, fail in CI."""

import pytest

from tests.support.services import require_service


def test_it_skips_a_missing_service_with_the_reason(monkeypatch):
    monkeypatch.delenv("CI", raising=False)

    with pytest.raises(pytest.skip.Exception, match="Redis is not running"):
        require_service(False, "Redis is not running")


def test_it_fails_a_missing_service_in_ci(monkeypatch):
    monkeypatch.setenv("CI", "true")

    with pytest.raises(pytest.fail.Exception, match="Redis is not running; CI must provide it"):
        require_service(False, "Redis is not running")


def test_it_lets_the_test_run_when_the_service_is_there(monkeypatch):
    monkeypatch.setenv("CI", "true")

    require_service(True, "never shown")
