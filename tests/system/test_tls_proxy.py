"""The app behind a real TLS-terminating proxy: nginx from Debian on loopback,
with a certificate from the suite's test CA (trustme), in front of daphne with
DEBUG off and secure cookies. Login (CSRF over HTTPS), an upload larger than
nginx's default body limit, and a chat over wss:// all go through it, as the
README's nginx section says to set it up."""

import json
import os
import re
import shutil
import ssl
import subprocess

import httpx
import pytest
from websockets.asyncio.client import connect

from chat.testing.upstream import Reply
from tests.support.https_server import make_ca
from tests.support.images import noisy_png
from tests.support.live import PASSWORD, Site, free_port, receive_until, wait_for
from tests.support.services import require_service
from tests.support.websocket import streamed_text

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"

CONFIG = """
worker_processes 1;
{user}
pid {root}/nginx.pid;
error_log {root}/error.log warn;
events {{ worker_connections 64; }}
http {{
    access_log off;
    client_body_temp_path {root}/body;
    proxy_temp_path {root}/proxy;
    fastcgi_temp_path {root}/fastcgi;
    uwsgi_temp_path {root}/uwsgi;
    scgi_temp_path {root}/scgi;
    map $http_upgrade $connection_upgrade {{ default upgrade; "" close; }}
    upstream daphne {{ server 127.0.0.1:{daphne}; }}
    server {{
        listen 127.0.0.1:{port} ssl;
        ssl_certificate {root}/cert.pem;
        ssl_certificate_key {root}/key.pem;
        client_max_body_size 21m;
        location / {{
            proxy_pass http://daphne;
            proxy_http_version 1.1;
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_read_timeout 600s;
            proxy_send_timeout 600s;
        }}
    }}
}}
"""


class Proxy:
    def __init__(self, root, port, daphne_port, ca):
        self.root = root
        self.port = port
        self.url = f"https://127.0.0.1:{self.port}"
        self.ws_url = f"wss://127.0.0.1:{self.port}"
        cert = ca.issue_cert("127.0.0.1")
        cert.cert_chain_pems[0].write_to_path(str(root / "cert.pem"))
        cert.private_key_pem.write_to_path(str(root / "key.pem"))
        # As root, nginx's workers would run as nobody, who cannot enter the test's folders.
        user = "user root;" if os.geteuid() == 0 else ""
        config = CONFIG.format(user=user, root=root, daphne=daphne_port, port=self.port)
        (root / "nginx.conf").write_text(config)
        self.process = subprocess.Popen(
            [NGINX, "-p", str(root), "-c", str(root / "nginx.conf"), "-g", "daemon off;"],
            stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
        )  # fmt: skip
        self.context = ssl.create_default_context()
        ca.configure_trust(self.context)

        def answering():
            if self.process.poll() is not None:
                raise RuntimeError((root / "error.log").read_text())
            try:
                return httpx.get(self.url + "/login/", verify=self.context, timeout=1)
            except httpx.TransportError:
                return False

        wait_for(answering, timeout=20, message="nginx answering")

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)


@pytest.fixture(scope="module")
def proxied(tmp_path_factory, live_upstream_server):
    require_service(os.access(NGINX, os.X_OK), f"nginx is not installed at {NGINX}")
    root = tmp_path_factory.mktemp("nginx")
    port = free_port()
    site = Site(
        tmp_path_factory.mktemp("site"),
        DEBUG="false",
        SECRET_KEY="a-production-secret-for-the-tls-proxy-tests-only-0123456789",
        ALLOWED_HOSTS="127.0.0.1",
        # The public origin is the proxy's; Django trusts it for CSRF.
        CSRF_TRUSTED_ORIGINS=f"https://127.0.0.1:{port}",
        TRUSTED_PROXIES="1",
        TOKENGATE_BASE_URL=live_upstream_server.url,
        TOKENGATE_API_KEY="sk-proxy-test-key",
    )
    proxy = None
    try:
        site.manage("collectstatic", "--noinput", "-v", "0")
        site.migrate()
        site.create_user("alice")
        server = site.start_server()
        proxy = Proxy(root, port, server.port, make_ca())
        yield site, proxy
    finally:
        if proxy:
            proxy.stop()
        site.stop()


def log_in(proxy):
    client = httpx.Client(base_url=proxy.url, verify=proxy.context, trust_env=False, timeout=20)
    page = client.get("/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    # A browser sends the page it came from: Django checks it for HTTPS requests.
    response = client.post(
        "/login/",
        data={"username": "alice", "password": PASSWORD, "csrfmiddlewaretoken": token},
        headers={"Referer": f"{proxy.url}/login/"},
    )
    assert response.status_code == 302, response.text
    return client, response


def test_it_logs_in_over_https_with_secure_cookies_and_strict_headers(proxied):
    _, proxy = proxied

    client, response = log_in(proxy)

    cookies = response.headers.get_list("set-cookie")
    assert any(c.startswith("sessionid=") and "Secure" in c and "HttpOnly" in c for c in cookies)
    page = client.get("/", follow_redirects=True)
    assert page.status_code == 200 and page.url.path.startswith("/c/")
    hsts = page.headers["strict-transport-security"]
    assert hsts == "max-age=31536000; includeSubDomains; preload"
    assert f"wss://127.0.0.1:{proxy.port}" in page.headers["content-security-policy"]
    client.close()


def test_it_uploads_an_image_over_nginx_default_body_limit(proxied):
    _, proxy = proxied
    client, _ = log_in(proxy)
    photo = noisy_png((700, 700))  # about 1.5 MB: nginx's default limit is 1 MB
    assert len(photo) > 1024 * 1024

    response = client.post(
        "/upload/",
        files={"file": ("noise.png", photo, "application/octet-stream")},
        headers={"X-CSRFToken": client.cookies["csrftoken"], "Referer": f"{proxy.url}/"},
    )

    assert response.status_code == 201, response.text
    assert response.json()["size"] == len(photo)
    client.close()


async def test_it_chats_over_a_secure_websocket_through_the_proxy(proxied, live_upstream):
    site, proxy = proxied
    client, _ = log_in(proxy)
    code = client.get("/").headers["location"].split("/")[2]
    live_upstream.queue(Reply(tokens=["Through ", "the ", "proxy."]))

    async with connect(
        f"{proxy.ws_url}/ws/chat/{code}/",
        origin=proxy.url,
        additional_headers={"Cookie": f"sessionid={client.cookies['sessionid']}"},
        ssl=proxy.context,
        proxy=None,
    ) as socket:
        await socket.send(json.dumps({"action": "send", "text": "Hello?", "model": "gpt-4o"}))
        events = await receive_until(socket, "done", "error")

    assert events[-1]["type"] == "done"
    assert streamed_text(events, events[1]["message"]["id"]) == "Through the proxy."
    assert site.query("SELECT text FROM chat_message WHERE role = 'assistant'") == [
        ("Through the proxy.",)
    ]
    client.close()
