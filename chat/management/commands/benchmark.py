"""Measure the relay between the gateway and the browser: `python manage.py benchmark`.

Starts a stamping fake upstream, the app under daphne with DEBUG off (one
process on the embedded defaults, then two on PostgreSQL and Redis), and
websocket clients in a process of their own, all on 127.0.0.1; prints one
table; stops everything and drops its database. Needs the test extras
(`pip install -e '.[test]'`) and, for the second setup, PostgreSQL and Redis.
"""

import json
import os
import shutil
import tempfile
import uuid
from contextlib import ExitStack
from pathlib import Path

from django.core.management.base import BaseCommand

from chat.bench.figures import FirstToken, ms, percentile, table

LEVELS = (1, 50, 100, 200)
PRODUCTION_LEVELS = (200, 400)
ONE_PERSON = 50  # answers started together in the conversations of one person
TOKENS, RATE = 300, 50
IN_A_ROW = 3  # answers one after another for the single-stream level
DIRECT_UP_TO = 100  # levels at which the upstream is also read directly, as a floor
THROUGHPUT_RUNS = 3  # through the app and directly, in turn; the best of each counts


class Command(BaseCommand):
    help = "Benchmark the relay: latency, loss, CPU, memory and writes per answer."

    def add_arguments(self, parser):
        parser.add_argument("--postgres-url", default="postgres://postgres@127.0.0.1:5432/postgres")
        parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/0")
        parser.add_argument(
            "--embedded-only",
            action="store_true",
            help="skip the two-process PostgreSQL + Redis setup",
        )
        parser.add_argument(
            "--levels",
            type=_counts,
            default=LEVELS,
            help="conversations started together, one process (1,50,100,200)",
        )
        parser.add_argument("--production-levels", type=_counts, default=PRODUCTION_LEVELS,
                            help="the same with two processes (200,400)")  # fmt: skip
        parser.add_argument("--one-person", type=int, default=ONE_PERSON,
                            help="answers started together by one person in as many "
                                 "conversations, one process (50; 0: none)")  # fmt: skip
        parser.add_argument("--streams-only", action="store_true",
                            help="only the levels: no throughput, photo or image-build runs "
                                 "(for before/after runs side by side)")  # fmt: skip
        # Run inside the benchmarked site's environment by the benchmark itself.
        parser.add_argument("--production-only", action="store_true",
                            help="only the two-process PostgreSQL + Redis setup")  # fmt: skip
        parser.add_argument("--prepare", type=int, help="(internal)")
        parser.add_argument("--image-conversation", help="(internal)")

    def handle(self, **options):
        from chat.bench import prepare

        if options["prepare"] is not None:
            pairs = prepare.people(options["prepare"], model="gpt-4o")
            one = prepare.one_person(options["one_person"], model="gpt-4o")
            prepare.count_writes()
            self.stdout.write(json.dumps({"people": pairs, "one_person": one}))
            return
        if options["image_conversation"]:
            prepare.image_conversation(options["image_conversation"])
            return
        self.rows, self.notes = [], []
        self.levels, self.production_levels = options["levels"], options["production_levels"]
        self.one_person = options["one_person"]
        self.streams_only = options["streams_only"]
        self.began = _now()
        try:
            with ExitStack() as stack:
                from chat.bench.run import Upstream

                upstream = Upstream()
                stack.callback(upstream.stop)
                workdir = Path(tempfile.mkdtemp(prefix="tokengate-bench-"))
                stack.callback(shutil.rmtree, workdir, ignore_errors=True)
                if not options["production_only"]:
                    self.embedded(upstream, workdir / "embedded")
                if not options["embedded_only"]:
                    self.production(upstream, workdir / "production", stack, options)
        finally:
            self.report()  # what was measured, even when a later part failed

    def say(self, text):
        self.stdout.write(text)
        self.stdout.flush()

    def embedded(self, upstream, workdir):
        from chat.bench.run import Setup

        # The levels, the 50 streams and the conversation of the image build, the
        # throughput runs, a text turn and a photo turn.
        people = IN_A_ROW + sum(self.levels) + 50 + 1 + 2 * THROUGHPUT_RUNS + 2
        setup = Setup(workdir, upstream, processes=1, people=people, one_person=self.one_person)
        try:
            self.say("one daphne process, embedded defaults (SQLite, in-memory layer)")
            for count in self.levels:
                self.level(setup, "1 process", count, runs=IN_A_ROW if count == 1 else 1)
            if self.one_person:
                self.level(setup, "1 process", self.one_person, one_person=True)
            if self.streams_only:
                return
            for tokens in (5_000, 50_000):
                self.attempt(self.throughput, setup, tokens)
            self.attempt(self.photo_turn, setup)
            self.attempt(self.image_build, setup)
        finally:
            setup.stop()

    def attempt(self, part, *args):
        try:
            part(*args)
        except Exception as error:  # one part failing leaves the others' figures
            self.notes.append(f"{part.__name__} failed: {type(error).__name__}: {error}")

    def photo_turn(self, setup):
        from chat.bench.run import camera_photo

        text_ms, text_bytes = setup.turn("What is this?")
        photo = camera_photo()
        photo_ms, photo_bytes = setup.turn("What is in this photo?", [photo])
        self.notes.append(
            f"Photo turn (4000×3000 JPEG, {len(photo) / 1e6:.1f} MB): "
            f"{photo_bytes / 1e3:.0f} KB sent to the upstream "
            f"({photo_bytes / len(photo):.1%} of the photo), "
            f"{photo_ms:.0f} ms from send to the upstream; a text turn: "
            f"{text_bytes / 1e3:.1f} KB, {text_ms:.0f} ms."
        )

    def image_build(self, setup):
        from chat.bench.run import request_text

        person = setup.prepare_images()
        turn = {}

        def image_turn():
            turn["ms"], turn["bytes"] = setup.turn(request_text(10, 0), person=person)

        result = setup.streams(50, TOKENS, RATE, during=_after(1.5, image_turn))
        worst = max(s["worst_gap"] for s in result["streams"])
        self.notes.append(
            f"A turn in a 40-turn conversation with 20 images, derivatives not made, "
            f"while 50 answers stream: it reached the upstream after {turn['ms']:.0f} ms "
            f"({turn['bytes'] / 1e6:.1f} MB); the other answers' worst gap between "
            f"two tokens: {worst / 1000:.0f} ms."
        )

    def production(self, upstream, workdir, stack, options):
        import psycopg

        from chat.bench.run import Setup

        name = f"tokengate_bench_{uuid.uuid4().hex[:8]}"
        admin = options["postgres_url"].replace("postgres://", "postgresql://", 1)
        with psycopg.connect(admin, autocommit=True) as db:
            db.execute(f"CREATE DATABASE {name}")

        def drop():
            with psycopg.connect(admin, autocommit=True) as db:
                db.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

        stack.callback(drop)
        database_url = options["postgres_url"].rsplit("/", 1)[0] + "/" + name
        setup = Setup(
            workdir, upstream, processes=2, people=sum(self.production_levels),
            DATABASE_URL=database_url, REDIS_URL=options["redis_url"],
        )  # fmt: skip
        try:
            self.say("two daphne processes, PostgreSQL and Redis")
            for count in self.production_levels:
                self.level(setup, "2 processes", count)
        finally:
            setup.stop()

    def level(self, setup, name, count, runs=1, one_person=False):
        streams, cpu, writes, direct, direct_cpu = [], 0.0, 0, [], 0.0
        load = os.getloadavg()[0]
        for _ in range(runs):
            result = setup.streams(count, TOKENS, RATE, one_person=one_person)
            streams += result["streams"]
            cpu += result["cpu"]
            writes += result["writes"]
            if name == "1 process" and count <= DIRECT_UP_TO and not one_person:
                baseline = setup.streams(count, TOKENS, RATE, direct=True)
                direct += baseline["streams"]
                direct_cpu += baseline["clients_cpu"]
        answers = count * runs
        firsts = first_tokens(streams)
        every = [latency for s in streams for latency in s["latencies"]]
        lost = sum(s["lost"] for s in streams)
        disorder = sum(s["out_of_order"] for s in streams)
        failed = sum(1 for s in streams if not (s["status"] == "complete" and s["answer_complete"]))
        direct_added = percentile([f.added for f in first_tokens(direct)], 0.5) if direct else None
        thousands = answers * TOKENS / 1000
        together = f"{count}" + (f" ({runs} in a row)" if runs > 1 else "")
        self.rows.append([
            name, together + (", one person" if one_person else ""),
            _p50_p99([f.send_to_first for f in firsts]),
            _p50_p99([f.added for f in firsts]),
            _p50_p99([f.relay_only for f in firsts]),
            ms(percentile([f.upstream_own for f in firsts], 0.5)),
            ms(direct_added),
            f"{ms(percentile(every, 0.5))} / {ms(percentile(every, 0.99))}",
            f"{lost} / {disorder}" + (f" ({failed} answers incomplete)" if failed else ""),
            f"{cpu / thousands:.2f}",
            f"{direct_cpu / thousands:.2f}" if direct else "—",
            f"{result['peak_mb']:.0f}",
            f"{writes / answers:.1f}",
            f"{load:.1f}",
        ])  # fmt: skip
        self.say(f"  {name}, {count} conversations: done")

    def throughput(self, setup, tokens):
        """Through the app and directly in turn, THROUGHPUT_RUNS times: on a shared
        machine one run of each can land in a quiet and a busy second."""

        def rate(stream):
            first, last = stream["arrivals"] or (0, 0)
            return tokens / max((last - stream["sent"]) / 1e6, 1e-9)

        app, direct, complete = [], [], True
        for _ in range(THROUGHPUT_RUNS):
            stream = setup.streams(1, tokens, 0)["streams"][0]
            complete = complete and stream["lost"] == 0 and stream["answer_complete"]
            app.append(rate(stream))
            direct.append(rate(setup.streams(1, tokens, 0, direct=True)["streams"][0]))
        best_app, best_direct = max(app), max(direct)
        self.notes.append(
            f"One stream of {tokens:,} tokens, no delay, best of {THROUGHPUT_RUNS}: "
            f"{best_app:,.0f} tokens/s through the app, {best_direct:,.0f} reading the upstream "
            f"directly ({best_app / best_direct:.0%}; runs: "
            f"{', '.join(f'{a:,.0f}/{d:,.0f}' for a, d in zip(app, direct, strict=True))}); "
            + ("complete." if complete else "INCOMPLETE.")
        )

    def report(self):
        header = [
            "setup", "conversations started together",
            "Send → first token p50 / p99 (ms)",
            "added: Send → first token less the upstream's own, p50 / p99 (ms)",
            "relay only: first token's arrival less its stamp, p50 / p99 (ms)",
            "upstream's own first token p50 (ms)",
            "upstream read directly (httpx alone): added p50 (ms)",
            "per-token added latency p50 / p99 (ms)", "tokens lost / out of order",
            "app CPU s per 1,000 tokens",
            "upstream read directly (httpx alone): CPU s per 1,000 tokens",
            "peak RSS (MB)", "DB writes per answer", "load average (1 min) at the start",
        ]  # fmt: skip
        self.say("")
        self.say(
            f"{TOKENS} tokens at {RATE} tokens/s per answer; run {self.began}–{_now()} UTC, "
            f"load average now {' / '.join(f'{x:.1f}' for x in os.getloadavg())} (1 / 5 / 15 min)."
        )
        self.say(table(header, self.rows))
        self.say("")
        for note in self.notes:
            self.say(f"- {note}")


def first_tokens(streams):
    """The FirstToken of each stream that had one and whose request the upstream logged."""
    return [
        FirstToken(s["sent"], s["upstream_received"], s["first_stamp"], s["arrivals"][0])
        for s in streams
        if s.get("first_stamp") is not None and s.get("upstream_received") is not None
    ]


def _p50_p99(values):
    return f"{ms(percentile(values, 0.5))} / {ms(percentile(values, 0.99))}"


def _now():
    import datetime

    return datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M:%S")


def _counts(text):
    return tuple(int(part) for part in text.split(","))


def _after(seconds, action):
    """A `during` callable: wait, then act, in this process."""

    def during():
        import time

        time.sleep(seconds)
        action()

    return during
