"""Runs (chat/runs/): one prompt over many pages or images."""

from tokengate_site.env import envint

# Runs (chat/runs/): items in one run; how long a process's claim on an item
# holds without renewal (a process that died gives its items back after it).
RUN_MAX_ITEMS = envint("RUN_MAX_ITEMS", "500")
RUN_LEASE_SECONDS = envint("RUN_LEASE_SECONDS", "30")
