"""The page's JavaScript unit tests (tests/js/, Node's own test runner), run
with the rest so that `python -m pytest` covers them too."""

import shutil
import subprocess
from pathlib import Path

JS_TESTS = Path(__file__).parent / "js"


def test_it_passes_the_javascript_unit_tests():
    node = shutil.which("node")
    assert node, "Node.js 20 or later is needed for tests/js/ (`node --test`); install it."
    version = subprocess.run([node, "--version"], capture_output=True, text=True).stdout.strip()
    # mock.timers (the catch-up's watchdog) came with Node 20.
    assert int(version.lstrip("v").split(".")[0]) >= 20, (
        f"tests/js/ need Node 20 or later, not {version}."
    )
    result = subprocess.run(
        [node, "--test", "--test-reporter=spec", str(JS_TESTS)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, f"node --test tests/js/ failed:\n{result.stdout}{result.stderr}"
