import pytest

from chat.ops import csp


@pytest.fixture(autouse=True)
def _fresh_csp_report_budget():
    # The report limit is per process: each test starts with a full budget.
    csp.budget.buckets.clear()
