"""Another person's conversation page, fetched again and again on a thread while
an attack runs: what it answered and how long each took, to state beside the
attack's memory figure (chat/README.md, "Attacks tried"). Tests assert that the
page was answered, never how fast.

    with OtherPage(bob_client) as page:
        ...                     # the attack
    assert page.statuses == {200}
    print(page.summary())       # "... 12 loads, median 85 ms, max 740 ms; load average ..."
"""

import os
import statistics
import threading
import time


class OtherPage:
    def __init__(self, client, *, interval=0.25):
        self.client, self.interval = client, interval
        response = client.get("/")
        assert response.status_code == 302, response.status_code
        self.path = response.headers["location"]
        self.seconds, self.statuses = [], set()
        self._done = threading.Event()

    def _load(self):
        while not self._done.is_set():
            started = time.monotonic()
            response = self.client.get(self.path)
            self.seconds.append(time.monotonic() - started)
            self.statuses.add(response.status_code)
            self._done.wait(self.interval)

    def __enter__(self):
        self._thread = threading.Thread(target=self._load, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._done.set()
        self._thread.join()

    def summary(self):
        return (
            f"another person's page: {len(self.seconds)} loads, "
            f"median {statistics.median(self.seconds) * 1000:.0f} ms, "
            f"max {max(self.seconds) * 1000:.0f} ms; "
            "load average {:.1f} {:.1f} {:.1f}".format(*os.getloadavg())
        )
