"""`manage.py quickstart`: what it prints is enough to log in to the served app."""

import re

from tests.support.live import Site, free_port, login


def run_quickstart(site, port):
    return site.manage("quickstart", "--no-serve", "--port", str(port))


def test_it_prints_a_url_and_a_login_that_work(tmp_path):
    site = Site(tmp_path)
    port = free_port()

    printed = run_quickstart(site, port)

    url = re.search(r"Open:\s+(\S+)", printed).group(1)
    username, password = re.search(r"Login:\s+(\S+) / (\S+)", printed).groups()
    assert url == f"http://127.0.0.1:{port}/"
    assert "offline demo" in printed
    try:
        server = site.start_server(port=port)
        client = login(server, username, password)
        # Logged in: home leads to a conversation, not back to the login form.
        assert client.get(url).headers["location"].startswith("/c/")
        client.close()
    finally:
        site.stop()


def test_it_prints_the_same_login_when_run_again(tmp_path):
    site = Site(tmp_path)

    first = run_quickstart(site, 8000)
    second = run_quickstart(site, 8000)

    login_line = re.compile(r"Login:.*")
    assert login_line.search(first).group() == login_line.search(second).group()
    # The password file is where DEMO_LOGIN_FILE says, not in the checkout.
    assert (tmp_path / "demo-login").read_text().strip() in first
