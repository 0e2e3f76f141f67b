"""/healthz and /readyz from a running process, with each dependency stopped in
turn: PostgreSQL (behind a forwarder we cut), Redis (a private server we stop)
and S3 (a moto server we stop)."""

import subprocess

import boto3
import httpx
import pytest
from moto.server import ThreadedMotoServer

from tests.support.live import Site, free_port, wait_for
from tests.support.services import require_postgres, require_redis, throwaway_postgres_database
from tests.support.tcp_proxy import TcpProxy

BUCKET = "tokengate-health"
KEYS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}


class RedisServer:
    def __init__(self):
        self.port = free_port()
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        wait_for(lambda: _redis_answers(self.port), message="redis-server answering")
        return self

    def stop(self):
        self.process.terminate()
        self.process.wait()


def _redis_answers(port):
    import redis

    try:
        return redis.Redis(port=port, socket_timeout=1).ping()
    except redis.RedisError:
        return False


class S3Server:
    def __init__(self):
        self.port = free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self.server = None

    def start(self):
        self.server = ThreadedMotoServer(ip_address="127.0.0.1", port=self.port, verbose=False)
        self.server.start()
        boto3.client(
            "s3", endpoint_url=self.endpoint, region_name="us-east-1", **KEYS
        ).create_bucket(Bucket=BUCKET)
        return self

    def stop(self):
        self.server.stop()


@pytest.fixture(scope="module")
def services():
    require_postgres()
    require_redis()  # the redis-server binary comes with it
    with throwaway_postgres_database() as database_url:
        database = TcpProxy("127.0.0.1", 5432).start()
        redis_server, s3 = RedisServer().start(), S3Server().start()
        try:
            yield {
                "database": (database, database_url),
                "channel_layer": redis_server,
                "storage": s3,
            }
        finally:
            for service in (database, redis_server, s3):
                service.stop()


@pytest.fixture(scope="module")
def server(tmp_path_factory, services):
    database, database_url = services["database"]
    site = Site(
        tmp_path_factory.mktemp("health"),
        DEBUG="false",
        SECRET_KEY="a-secret-for-the-health-tests",
        ALLOWED_HOSTS="chat.example.com",
        DATABASE_URL=database_url.replace(":5432/", f":{database.port}/"),
        REDIS_URL=f"redis://127.0.0.1:{services['channel_layer'].port}/0",
        S3_BUCKET=BUCKET,
        S3_ENDPOINT_URL=services["storage"].endpoint,
        S3_ACCESS_KEY_ID=KEYS["aws_access_key_id"],
        S3_SECRET_ACCESS_KEY=KEYS["aws_secret_access_key"],
    )
    site.migrate()
    try:
        yield site.start_server()
    finally:
        site.stop()


def get(server, path):
    # As a proxy's health check would: no login, no cookie, its own Host header.
    with httpx.Client(base_url=server.url, trust_env=False, timeout=10) as client:
        return client.get(path)


def test_it_is_ready_when_every_dependency_answers(server):
    response = get(server, "/readyz")

    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "channel_layer": "ok", "storage": "ok"},
    }
    assert response.headers["cache-control"] == "no-store"


@pytest.mark.parametrize("name", ["database", "channel_layer", "storage"])
def test_it_says_which_dependency_failed_with_a_503(server, services, name):
    service = services[name][0] if name == "database" else services[name]
    service.stop()
    try:
        down = get(server, "/readyz")
        alive = get(server, "/healthz")
    finally:
        service.start()
    back = wait_for(
        lambda: (r := get(server, "/readyz")).status_code == 200 and r,
        message=f"{name} back",
    )

    assert down.status_code == 503
    assert down.json()["status"] == "failed"
    checks = down.json()["checks"]
    assert checks[name].startswith("failed: ")
    assert [other for other, result in checks.items() if result != "ok"] == [name]
    # The process itself is fine, and says so.
    assert alive.status_code == 200 and alive.json() == {"status": "ok"}
    assert back.json()["checks"][name] == "ok"
