"""Operations: answers abandoned by a dead process, the graceful stop, the
demo login, who reads /metrics."""

import os
from pathlib import Path

from tokengate_site.env import envfloat, envnetworks

_ROOT = Path(__file__).resolve().parents[2]

# Answers: a streaming answer's process renews its heartbeat (with the partial
# text) every second; one not renewed for this long belonged to a process that
# died, and is settled as interrupted by any process (on start, then every third
# of this). On SIGTERM, `manage.py serve` lets running answers finish for the grace
# period before it saves and interrupts them.
ANSWER_ABANDONED_SECONDS = envfloat("ANSWER_ABANDONED_SECONDS", "30")
SHUTDOWN_GRACE_SECONDS = envfloat("SHUTDOWN_GRACE_SECONDS", "20")

# Where `manage.py quickstart` keeps the demo login's password (git-ignored).
DEMO_LOGIN_FILE = Path(os.getenv("DEMO_LOGIN_FILE", _ROOT / ".demo-login"))

# /metrics (chat/ops/metrics.py): for a bearer token, or from these addresses or
# networks; with neither, for no one.
METRICS_TOKEN = os.getenv("METRICS_TOKEN", "")
METRICS_ALLOWED_ADDRESSES = envnetworks("METRICS_ALLOWED_ADDRESSES", "")
