import pytest

from chat.documents import background


@pytest.fixture(autouse=True)
def _render_within_the_request(monkeypatch):
    # A test's transaction hides the document from another thread.
    monkeypatch.setattr(background, "IN_BACKGROUND", False)
