"""The benchmark's moving parts: the stamping upstream in its own process, a
site served by daphne as in production, and the clients' process.

Everything listens on 127.0.0.1 and is stopped (and its database dropped) at
the end, whatever happens; see chat/management/commands/benchmark.py.
"""

import io
import json
import os
import resource
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import httpx
from PIL import Image
from websockets.sync.client import connect

from chat.bench.clients import client_tag
from chat.bench.figures import now_us
from chat.testing.live import SOURCE_ROOT, Site

MODEL = "gpt-4o"
TICKS = os.sysconf("SC_CLK_TCK")


class Upstream:
    """chat/testing/upstream.py serving stamped replies, in a process of its own;
    `requests` fills with what it received: {"received": µs, "bytes": n}."""

    def __init__(self):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "chat.testing.upstream", "--stamped"],
            cwd=SOURCE_ROOT, stdout=subprocess.PIPE, text=True,
        )  # fmt: skip
        self.url = self.process.stdout.readline().strip()
        self.requests = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.process.stdout:
            self.requests.append(json.loads(line))

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)


def request_text(tokens, rate):
    """What a client sends: the stamping upstream answers `tokens` stamped tokens
    at `rate` per second (0: as fast as it can)."""
    return f"tokens={tokens} rate={rate}"


def cpu_seconds(pids):
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / TICKS


def _children_cpu():
    """CPU seconds of this process's children that have ended (here: a clients' process)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def peak_mb(pids):
    peaks = []
    for pid in pids:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                peaks.append(int(line.split()[1]) / 1024)
    return max(peaks)


class Setup:
    """One site (a database, a channel layer, media) and its daphne processes."""

    def __init__(self, workdir, upstream, *, processes, people, one_person=0, **variables):
        self.upstream = upstream
        self.site = Site(
            workdir,
            DEBUG="false", SECRET_KEY="benchmark-" + os.urandom(16).hex(),
            SECURE_COOKIES="false", ALLOWED_HOSTS="127.0.0.1",
            TOKENGATE_BASE_URL=upstream.url, TOKENGATE_API_KEY="sk-benchmark",
            TOKENGATE_MODELS=MODEL, TOKENGATE_MAX_RETRIES="0", LOG_LEVEL="WARNING",
            # The limits are taken as in production, high enough for one person's 50.
            LIMIT_MESSAGES_PER_MINUTE="100000", LIMIT_STREAMING_ANSWERS="100000",
            **variables,
        )  # fmt: skip
        self.site.migrate()
        self.site.manage("collectstatic", "--noinput", "-v", "0")
        prepared = json.loads(
            self.site.manage("benchmark", "--prepare", str(people), "--one-person", str(one_person))
        )
        self.people, self.one_person = prepared["people"], prepared["one_person"]
        self.vendor = "postgresql" if self.site.env["DATABASE_URL"].startswith("postgres") else ""
        self.servers = [self.site.start_server() for _ in range(processes)]
        self.pids = [server.process.pid for server in self.servers]

    def stop(self):
        self.site.stop()

    def take(self, count):
        taken, self.people = self.people[:count], self.people[count:]
        if len(taken) < count:
            raise RuntimeError("the benchmark prepared too few conversations")
        return taken

    def writes(self):
        from chat.bench.prepare import writes_sql

        return self.site.query(writes_sql(self.vendor))[0][0]

    def streams(self, count, tokens, rate, *, direct=False, during=None, one_person=False):
        """`count` answers started together (`one_person`: in the conversations of
        one person); returns the clients' results, each with the moment its request
        reached the upstream, with the app's CPU seconds, peak memory and database
        writes over the run, and the clients' process's own CPU seconds. `during`
        runs in this process while they stream."""
        if direct:
            clients = []
        elif one_person:
            clients = self.one_person[:count]
        else:
            clients = self.take(count)
        job = {
            "servers": [{"http": s.url, "ws": s.ws_url} for s in self.servers],
            "clients": clients,
            "count": count, "text": request_text(tokens, rate), "model": MODEL,
            "tokens": tokens, "timeout": 120, "direct": self.upstream.url if direct else "",
        }  # fmt: skip
        cpu, writes = cpu_seconds(self.pids), self.writes()
        children, seen = _children_cpu(), len(self.upstream.requests)
        clients = subprocess.Popen(
            [sys.executable, "-m", "chat.bench.clients"], cwd=SOURCE_ROOT,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        )  # fmt: skip
        clients.stdin.write(json.dumps(job))
        clients.stdin.close()
        side = during() if during else None
        results = json.loads(clients.stdout.read())
        clients.wait()
        clients_cpu = _children_cpu() - children
        time.sleep(0.3)  # the last saves land after the last "done"
        received = {
            r["text"].rsplit(" ", 1)[-1]: r["received"] for r in self.upstream.requests[seen:]
        }
        for number, stream in enumerate(results["streams"]):
            stream["upstream_received"] = received.get(client_tag(number))
        results.update(
            cpu=cpu_seconds(self.pids) - cpu,
            peak_mb=peak_mb(self.pids),
            writes=self.writes() - writes,
            clients_cpu=clients_cpu,
            side=side,
        )
        return results

    def turn(self, text, images=(), *, person=None):
        """One turn from this process, in a fresh conversation or `person`'s:
        (ms from send to the upstream receiving it, bytes the upstream received)."""
        cookie, code = person or self.take(1)[0]
        server = self.servers[0]
        text = f"{text} ({uuid.uuid4().hex[:8]})"  # to find its request among others
        image_ids = [self.upload(server, cookie, code, data) for data in images]
        if images:
            time.sleep(1.0)  # a person types a question after attaching
        seen = len(self.upstream.requests)
        headers = {"Origin": server.url, "Cookie": f"sessionid={cookie}"}
        with connect(f"{server.ws_url}/ws/chat/{code}/", additional_headers=headers,
                     max_size=None) as socket:  # fmt: skip
            message = {"action": "send", "text": text, "model": MODEL,
                       "images": [{"id": i, "detail": "auto"} for i in image_ids]}  # fmt: skip
            sent = now_us()
            socket.send(json.dumps(message))
            while json.loads(socket.recv(timeout=120))["type"] not in ("done", "error"):
                pass
        [request] = [r for r in self.upstream.requests[seen:] if r["text"] == text]
        return (request["received"] - sent) / 1000, request["bytes"]

    def prepare_images(self):
        """A fresh conversation with 40 turns and 20 photos, derivatives not made."""
        person = self.take(1)[0]
        self.site.manage("benchmark", "--image-conversation", person[1])
        return person

    @staticmethod
    def upload(server, cookie, code, data):
        with httpx.Client(base_url=server.url, cookies={"sessionid": cookie}, timeout=60) as client:
            client.get(f"/c/{code}/").raise_for_status()
            response = client.post(
                "/upload/",
                files={"file": ("photo.jpg", data, "image/jpeg")},
                data={"detail": "auto"},
                headers={"X-CSRFToken": client.cookies["csrftoken"], "Origin": server.url},
            )
            response.raise_for_status()
            return response.json()["id"]


def camera_photo():
    """A 4000×3000 JPEG of about 3.6 MB: smooth scenery under per-pixel sensor
    noise, which is what makes a phone photo big and its derivative small."""
    import random

    rng = random.Random(3)
    scene = Image.frombytes("RGB", (16, 12), rng.randbytes(16 * 12 * 3))
    scene = scene.resize((4000, 3000), Image.BICUBIC)
    grain = Image.effect_noise((4000, 3000), 24).convert("RGB")
    image = Image.blend(scene, grain, 0.25)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=91)
    return out.getvalue()
