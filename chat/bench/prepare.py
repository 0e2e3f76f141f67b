"""Inside the benchmarked site's own environment (manage.py benchmark --prepare):
people, their conversations and sessions, and a counter of database writes."""

import io
import random

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from PIL import Image

from chat import images
from chat.models import Conversation, Message

TABLES = ["chat_conversation", "chat_message", "chat_imageattachment", "chat_derivative"]


def people(count, model):
    """`count` users, each with one conversation and a session: [(cookie, code)]."""
    User = get_user_model()
    User.objects.bulk_create(
        [User(username=f"bench{n}", password=make_password(None)) for n in range(count)]
    )
    users = User.objects.filter(username__regex=r"^bench\d+$").order_by("pk")
    pairs = []
    for user in users:
        conversation = Conversation.objects.create(owner=user, model=model)
        pairs.append((_session(user), str(conversation.code)))
    return pairs


def one_person(conversations, model):
    """One more user with `conversations` conversations and one session: [(cookie, code)]."""
    User = get_user_model()
    user = User.objects.create(username="bench-one-person", password=make_password(None))
    session = _session(user)
    return [
        (session, str(Conversation.objects.create(owner=user, model=model).code))
        for _ in range(conversations)
    ]


def _session(user):
    backend = next(
        (b for b in settings.AUTHENTICATION_BACKENDS if b.endswith("ModelBackend")),
        settings.AUTHENTICATION_BACKENDS[-1],
    )
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = backend
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def image_conversation(code, turns=40, count=20):
    """Give the conversation `turns` turns with `count` 1600×1200 photos at high
    detail whose high derivatives are not made yet."""
    conversation = Conversation.objects.get(code=code)
    rng = random.Random(7)
    for turn in range(turns):
        message = conversation.append(
            role=Message.Role.USER, text=f"Question {turn}: " + "what do you see? " * 10
        )
        if turn % (turns // count) == 0:
            noise = Image.frombytes("RGB", (160, 120), rng.randbytes(160 * 120 * 3))
            out = io.BytesIO()
            noise.resize((1600, 1200)).save(out, "JPEG", quality=90)
            checked = images.check_image(out.getvalue(), name=f"photo{turn}.jpg")
            attachment = images.store_image(
                owner=conversation.owner, checked=checked, detail="high", name=f"photo{turn}.jpg"
            )
            attachment.message = message
            attachment.save(update_fields=["message"])
        conversation.append(role=Message.Role.ASSISTANT, text="An answer of a few sentences. " * 8)


def count_writes():
    """Every insert, update and delete on the chat tables bumps a counter
    (bench_writes): one per statement on PostgreSQL, one per row on SQLite."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("CREATE SEQUENCE bench_writes")
            cursor.execute(
                "CREATE FUNCTION bench_count() RETURNS trigger LANGUAGE plpgsql AS "
                "$$ BEGIN PERFORM nextval('bench_writes'); RETURN NULL; END $$"
            )
            for table in TABLES:
                cursor.execute(
                    f"CREATE TRIGGER bench_count AFTER INSERT OR UPDATE OR DELETE ON {table} "
                    "FOR EACH STATEMENT EXECUTE FUNCTION bench_count()"
                )
        else:
            cursor.execute("CREATE TABLE bench_writes (n INTEGER)")
            cursor.execute("INSERT INTO bench_writes VALUES (0)")
            for table in TABLES:
                for action in ("INSERT", "UPDATE", "DELETE"):
                    cursor.execute(
                        f"CREATE TRIGGER bench_{table}_{action} AFTER {action} ON {table} "
                        "BEGIN UPDATE bench_writes SET n = n + 1; END"
                    )


def writes_sql(vendor):
    if vendor == "postgresql":
        return "SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM bench_writes"
    return "SELECT n FROM bench_writes"
