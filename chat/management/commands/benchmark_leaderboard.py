"""Fill a database with blind picks and time the leaderboard page.

    manage.py benchmark_leaderboard                 # 100,000 picks among five models
    manage.py benchmark_leaderboard --picks 10000 --reuse

Run it on a throwaway database (DATABASE_URL): it adds rows and does not remove
them. Prints the median time and the query count of GET /leaderboard/ as the
Django test client sees it (no network).
"""

import random
import statistics
import time

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext, setup_test_environment

from chat.models import Comparison, Conversation, Message, Pick

BATCH = 2000
# Hidden strengths the picks are drawn from: the page should find this order.
TRUE_STRENGTH = {"gpt-4o": 1.6, "gemini-2.5-pro": 1.4, "gemini-3-pro-image-preview": 1.0,
                 "gemini-2.5-flash-image": 0.7, "gemini-3.1-flash-image-preview": 0.5}  # fmt: skip


class Command(BaseCommand):
    help = "Fill the database with blind picks and time the leaderboard."

    def add_arguments(self, parser):
        parser.add_argument("--picks", type=int, default=100_000)
        parser.add_argument("--reuse", action="store_true", help="time only, if already filled")
        parser.add_argument("--runs", type=int, default=5)

    def handle(self, *args, picks, reuse, runs, **options):
        user, _ = get_user_model().objects.get_or_create(username="leaderboard-bench")
        if not reuse:
            self._fill(user, picks)
        setup_test_environment()  # the test client then keeps the page's context
        client = Client()
        client.force_login(user)
        timings, queries = [], 0
        for _ in range(runs):
            cache.clear()  # the board computed, not the minute-old one
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get("/leaderboard/")
                timings.append(time.perf_counter() - started)
            assert response.status_code == 200, response.status_code
            queries = len(captured)
        board = response.context["board"]
        started = time.perf_counter()
        client.get("/leaderboard/")
        cached = time.perf_counter() - started
        self.stdout.write(
            f"{board.picks:,} blind picks on {connection.vendor}: median "
            f"{statistics.median(timings) * 1000:.0f} ms, {queries} queries "
            f"({cached * 1000:.0f} ms within the minute it is cached); order "
            + ", ".join(s.model for s in board.standings)
        )

    def _fill(self, user, count):
        generator = random.Random(1)
        models = list(TRUE_STRENGTH)
        for start in range(0, count, BATCH):
            size = min(BATCH, count - start)
            with transaction.atomic():
                conversation = Conversation.objects.create(owner=user, title="benchmark")
                question = conversation.messages.create(role="user", text="Which total?")
                comparisons = Comparison.objects.bulk_create(
                    Comparison(conversation=conversation, message=question, blind=True)
                    for _ in range(size)
                )
                answers, picks = [], []
                for comparison in comparisons:
                    a, b = generator.sample(models, 2)
                    for model in (a, b):
                        answers.append(Message(
                            conversation=conversation, parent=question, role="assistant",
                            model=model, comparison=comparison, text="...",
                            first_token_ms=generator.randint(200, 2000),
                            completion_tokens=generator.randint(20, 400),
                        ))  # fmt: skip
                    p_a = TRUE_STRENGTH[a] / (TRUE_STRENGTH[a] + TRUE_STRENGTH[b])
                    roll = generator.random()
                    outcome = "tie" if roll > 0.9 else "winner"
                    winner = (a if roll < p_a * 0.9 else b) if outcome == "winner" else ""
                    picks.append(Pick(
                        comparison=comparison, user=user, outcome=outcome, blind=True,
                        compared_models=",".join(sorted((a, b))), winner_model=winner,
                    ))  # fmt: skip
                Message.objects.bulk_create(answers)
                Pick.objects.bulk_create(picks)
