"""Run inside a PostgreSQL site's processes by tests/system/test_review_on_postgres.py:
queue workers (each one reviewer pressing "next" until the queue is empty) and
the full-text search."""

import os
import time
from pathlib import Path


def seed(count):
    from django.contrib.auth.models import Group, User

    from chat.models import Conversation, Message
    from chat.review.models import QueueItem

    owner = User.objects.create_user("alice")
    group = Group.objects.get(name="Reviewers")
    for name in os.environ["REVIEWERS"].split(","):
        User.objects.create_user(name, is_staff=True).groups.add(group)
    for n in range(count):
        conversation = Conversation.objects.create(owner=owner, title=f"queued {n}")
        Message.objects.create(conversation=conversation, role="user", text="hello")
        QueueItem.objects.create(conversation=conversation, reason="bulk")


def run():
    from django.contrib.auth.models import User

    from chat.review import queue, reviewing

    name = os.environ["REVIEWER"]
    reviewer = User.objects.get(username=name)
    folder = Path(os.environ["SYNC_FOLDER"])
    (folder / f"ready-{name}").touch()
    while not (folder / "go").exists():
        time.sleep(0.005)
    claimed = []
    while (item := queue.claim_next(reviewer)) is not None:
        claimed.append(item.pk)
        reviewing.decide(item.conversation, reviewer, value="approve")
    print("claimed:", *claimed)


def search():
    """Print what the list's search finds, and whether the full-text index served it."""
    from django.contrib.auth.models import User
    from django.db import connection

    from chat.models import Conversation, Message
    from chat.review import queries

    owner = User.objects.create_user("searcher")
    for title, text in [
        ("Birds", "Two sparrows on a wire"), ("Stripes", "Is this a zebra crossing?"),
        ("Zebra facts", "Tell me about horses"),
    ]:  # fmt: skip
        conversation = Conversation.objects.create(owner=owner, title=title)
        Message.objects.create(conversation=conversation, role="user", text=text)
    for terms in ["zebra", "crossings", "sparrow", "nothing-like-this"]:
        found = queries.search(Conversation.objects.filter(owner=owner), terms)
        print("found:", terms, "=", ",".join(sorted(found.values_list("title", flat=True))))
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")  # a tiny table: make the planner show its choice
        sql, params = queries.search(Conversation.objects.all(), "zebra").query.sql_with_params()
        cursor.execute("EXPLAIN " + sql, params)
        plan = " ".join(row[0] for row in cursor.fetchall())
    print("index used:", "review_message_text_search" in plan)
