"""A server process's resident memory, read from /proc as an operator would
(VmRSS in /proc/<pid>/status), sampled on a thread while an attack runs.

    with Peak(server.process.pid, ceiling=baseline + 64 * MB) as peak:
        ...                     # the attack; stop early once peak.exceeded
    assert peak.highest - baseline < 64 * MB
"""

import os
import threading

MB = 1024 * 1024


def resident_bytes(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    raise LookupError(f"no VmRSS for process {pid}")


class Peak:
    """The highest resident size of `pid` while the block runs. `exceeded` turns
    true past `ceiling`, so an attack that would exhaust the machine (today's
    main) can stop early: the test fails all the same."""

    def __init__(self, pid, *, ceiling, interval=0.02):
        self.pid, self.ceiling, self.interval = pid, ceiling, interval
        self.highest = 0
        self.exceeded = False
        self._done = threading.Event()

    def _sample(self):
        while not self._done.is_set():
            self.highest = max(self.highest, resident_bytes(self.pid))
            self.exceeded = self.exceeded or self.highest > self.ceiling
            self._done.wait(self.interval)

    def __enter__(self):
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._done.set()
        self._thread.join()
        self.highest = max(self.highest, resident_bytes(self.pid))


def cpu_seconds(pid):
    """User and system CPU time the process has used so far."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
