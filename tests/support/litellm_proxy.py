"""A real LiteLLM proxy on loopback, in front of the fake upstream.

LiteLLM lives in its own virtualenv (`.venv-litellm`, made by .ci/run): it pins
about seventy packages of its own (websockets below 16, openai below 4, …) and
runs as a separate server, as it does in production, so it need not share the
app's. Starting it takes a minute on the 2-core machine, so the suite starts
it once (a session fixture in tests/conftest.py):

    proxy = LiteLLMProxy(upstream_url=upstream.url, workdir=tmp).start()
    ... the app's TOKENGATE_BASE_URL = proxy.url, TOKENGATE_API_KEY = proxy.key ...
    proxy.stop()
"""

import os
import shutil
import subprocess
from pathlib import Path

import httpx

from tests.support.live import ROOT, clean_environment, free_port, wait_for

INSTALL = "python3 -m venv .venv-litellm && .venv-litellm/bin/pip install 'litellm[proxy]==1.108.7'"
STARTUP_SECONDS = 240
# The gateway's five models (its vision API page), each a model group of the proxy.
MODELS = [
    "gpt-4o", "gemini-2.5-flash-image", "gemini-2.5-pro", "gemini-3-pro-image-preview",
    "gemini-3.1-flash-image-preview",
]  # fmt: skip


def litellm_command():
    """The `litellm` executable: $LITELLM, the repository's .venv-litellm, or PATH."""
    for candidate in (os.getenv("LITELLM"), ROOT / ".venv-litellm/bin/litellm"):
        if candidate and os.access(candidate, os.X_OK):
            return str(candidate)
    return shutil.which("litellm")


def config(upstream_url, key):
    """Every gateway model routed to the upstream; LiteLLM's retries and cool-downs off.

    Retries off, as the README asks (the app retries, once); cool-downs off so a
    test's 429 does not bench a model for the next test.
    """
    lines = ["model_list:"]
    for model in MODELS:
        lines += [
            f"  - model_name: {model}",
            "    litellm_params:",
            f"      model: openai/{model}",
            f"      api_base: {upstream_url}",
            "      api_key: sk-upstream-key",
        ]
    lines += [
        "router_settings:",
        "  num_retries: 0",
        "  disable_cooldowns: true",
        "litellm_settings:",
        "  num_retries: 0",
        "general_settings:",
        f"  master_key: {key}",
    ]
    return "\n".join(lines) + "\n"


class LiteLLMProxy:
    key = "sk-litellm-test-key"

    def __init__(self, *, upstream_url, workdir):
        self.workdir = Path(workdir)
        self.port = free_port()
        self.process = None
        (self.workdir / "config.yaml").write_text(config(upstream_url, self.key))

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}/v1"

    def start(self):
        self.log = open(self.workdir / "litellm.log", "wb")  # closed in stop()
        self.process = subprocess.Popen(
            [litellm_command(), "--config", "config.yaml", "--host", "127.0.0.1",
             "--port", str(self.port), "--num_workers", "1"],
            cwd=self.workdir,
            # No app settings (DATABASE_URL would make LiteLLM look for its own
            # database); the model price list from the package, not the network.
            env=clean_environment(LITELLM_LOCAL_MODEL_COST_MAP="True", NO_DOCS="True"),
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
        wait_for(self._ready, timeout=STARTUP_SECONDS, interval=0.5, message="LiteLLM started")
        return self

    def _ready(self):
        if self.process.poll() is not None:
            log = (self.workdir / "litellm.log").read_text(errors="replace")[-3000:]
            raise RuntimeError(f"LiteLLM exited with {self.process.returncode}:\n{log}")
        try:
            return httpx.get(f"http://127.0.0.1:{self.port}/health/liveliness").is_success
        except httpx.TransportError:
            return False

    def warm_up(self):
        """One answer through the proxy: its first request is seconds slower than the rest."""
        body = {"model": MODELS[0], "messages": [{"role": "user", "content": "hi"}], "stream": True}
        with httpx.stream(
            "POST",
            f"{self.url}/chat/completions",
            json=body,
            headers={"Authorization": f"Bearer {self.key}"},
            timeout=120,
        ) as response:
            response.raise_for_status()
            response.read()  # the fake upstream always streams

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process is not None:
            self.log.close()
