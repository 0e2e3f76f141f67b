"""Fill a database with many conversations and time the review pages.

    manage.py benchmark_review                      # 10,000 conversations, 200,000 messages
    manage.py benchmark_review --conversations 1000 --reuse

Run it against PostgreSQL (DATABASE_URL) on a throwaway database: it adds
rows and does not remove them. Prints the median time and query count of the
conversation list (default order, sorted by tokens, a search, a filter) and
of one review page, as the Django test client sees them (no network).
"""

import random
import statistics
import time
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils.timezone import now

from chat import images, markdown
from chat.models import Conversation, Feedback, ImageAttachment, Message
from chat.review.models import ConversationTag, Review, Tag

WORDS = ("cat dog receipt invoice street sign menu chart graph table photo zebra crossing "
         "mountain river bridge label bottle screen error total price").split()  # fmt: skip
BATCH = 2000


class Command(BaseCommand):
    help = "Fill the database with conversations and time the review list and page."

    def add_arguments(self, parser):
        parser.add_argument("--conversations", type=int, default=10_000)
        parser.add_argument("--messages-per-conversation", type=int, default=20)
        parser.add_argument("--reuse", action="store_true", help="time only, if already filled")
        parser.add_argument("--runs", type=int, default=5)

    def handle(self, *args, conversations, messages_per_conversation, reuse, runs, **options):
        if not (reuse and Conversation.objects.exists()):
            started = time.monotonic()
            self._fill(conversations, messages_per_conversation)
            self.stdout.write(f"filled in {time.monotonic() - started:.1f} s")
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self.stdout.write(
            f"{connection.vendor}: {Conversation.objects.count():,} conversations, "
            f"{Message.objects.count():,} messages, {ImageAttachment.objects.count():,} images"
        )
        client = Client(HTTP_HOST="localhost")
        client.force_login(self._superuser())
        one = Conversation.objects.order_by("-pk").first()
        pages = [
            ("list, newest first", "/admin/chat/conversation/"),
            ("list, most tokens first", "/admin/chat/conversation/?o=-6"),
            ("list, search a rare word", "/admin/chat/conversation/?q=platypus"),
            ("list, search a common phrase", "/admin/chat/conversation/?q=zebra+crossing"),
            ("list, thumbed down + flagged", "/admin/chat/conversation/?thumbs=down&state=flagged"),
            (f"review page ({one.messages.count()} messages)",
             f"/admin/chat/conversation/{one.pk}/review/"),
        ]  # fmt: skip
        for name, url in pages:
            timings = []
            for _ in range(runs):
                with CaptureQueriesContext(connection) as queries:
                    started = time.perf_counter()
                    response = client.get(url)
                    timings.append(time.perf_counter() - started)
                assert response.status_code == 200, (url, response.status_code)
            self.stdout.write(
                f"{name}: median {statistics.median(timings) * 1000:.0f} ms "
                f"(min {min(timings) * 1000:.0f}), {len(queries)} queries"
            )

    def _superuser(self):
        User = get_user_model()
        return User.objects.filter(username="benchmark-admin").first() or (
            User.objects.create_superuser("benchmark-admin", password=None)
        )

    def _fill(self, count, per_conversation):
        User = get_user_model()
        rng = random.Random(7)
        owners = [User.objects.get_or_create(username=f"user{n}")[0] for n in range(50)]
        checked = images.check_image(
            images_png(), name="bench.png"
        )  # one stored file, shared by every attachment (content-addressed)
        stored = images.store_image(owner=owners[0], checked=checked, name="bench.png")
        tags = list(Tag.objects.all())
        start = now() - timedelta(days=60)
        for first in range(0, count, BATCH // per_conversation * 10 or 1):
            size = min(BATCH // per_conversation * 10 or 1, count - first)
            with transaction.atomic():
                self._batch(rng, owners, stored, tags, start, first, size, per_conversation)
            self.stdout.write(f"  {first + size:,} conversations", ending="\r")
        self.stdout.write("")

    def _batch(self, rng, owners, stored, tags, start, first, size, per_conversation):
        conversations = Conversation.objects.bulk_create(
            Conversation(
                owner=rng.choice(owners), title=" ".join(rng.sample(WORDS, 4)), model="gpt-4o",
                created=start + timedelta(minutes=7 * (first + n)),
                updated=start + timedelta(minutes=7 * (first + n) + 30),
            )
            for n in range(size)
        )  # fmt: skip
        messages = []
        for conversation in conversations:
            for turn in range(per_conversation // 2):
                at = conversation.created + timedelta(minutes=turn)
                status = "error" if rng.random() < 0.01 else "complete"
                # A rare word, as a real search term is: in about 1 user message in 500.
                rare = " platypus" if rng.random() < 0.002 else ""
                text = " ".join(rng.choices(WORDS, k=12)) + rare
                messages.append(
                    Message(conversation=conversation, role="user", created=at, text=text)
                )
                answer = " ".join(rng.choices(WORDS, k=60))
                messages.append(Message(
                    conversation=conversation, role="assistant", created=at, status=status,
                    text=answer, html=markdown.render(answer), model=rng.choice(
                        ["gpt-4o", "gemini-2.5-pro", "gemini-2.5-flash-image"]),
                    prompt_tokens=rng.randint(50, 2000), completion_tokens=rng.randint(10, 500),
                    first_token_ms=rng.randint(150, 3000), total_ms=rng.randint(500, 9000),
                    finish_reason="stop",
                ))  # fmt: skip
        Message.objects.bulk_create(messages, batch_size=BATCH)
        firsts = [m for m in messages if m.role == "user"][:: per_conversation // 2]
        ImageAttachment.objects.bulk_create(
            ImageAttachment(
                owner=m.conversation.owner, message=m, file=stored.file.name,
                thumbnail=stored.thumbnail.name, sha256=stored.sha256, format=stored.format,
                width=stored.width, height=stored.height, size=stored.size, tokens=85,
                name="bench.png",
            )
            for m in firsts if rng.random() < 0.5
        )  # fmt: skip
        answers = [m for m in messages if m.role == "assistant"]
        Feedback.objects.bulk_create(
            Feedback(message=m, rating=rng.choice(["up", "down"]))
            for m in rng.sample(answers, len(answers) // 20)
        )
        Review.objects.bulk_create(
            Review(conversation=c, state=rng.choice(["approved", "flagged", "in_review"]))
            for c in rng.sample(conversations, len(conversations) // 5)
        )
        if tags:
            ConversationTag.objects.bulk_create(
                ConversationTag(conversation=c, tag=rng.choice(tags))
                for c in rng.sample(conversations, len(conversations) // 10)
            )


def images_png():
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (64, 48), (120, 80, 40)).save(out, "PNG")
    return out.getvalue()
