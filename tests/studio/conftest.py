import pytest

from chat.studio import fallback


@pytest.fixture(autouse=True)
def _no_refused_models():
    """The models whose gateway refused image settings are remembered per process."""
    fallback.refused_models.clear()
    yield
    fallback.refused_models.clear()
