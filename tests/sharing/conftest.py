import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _empty_cache():
    """The pages and the per-address counts are cached: each test starts without."""
    cache.clear()
