"""Data for the review browser tests, made inside the live site's process
(manage.py shell -c "from tests.review_site import seed; seed()")."""

import io
import os
from datetime import timedelta

from django.contrib.auth.models import Group, User
from django.utils.timezone import now
from PIL import Image, ImageDraw

from chat import images
from chat.models import Conversation, Feedback, Message
from chat.review.models import Decision, QueueItem, Review


def _picture(color, label):
    image = Image.new("RGB", (640, 420), color)
    draw = ImageDraw.Draw(image)
    draw.rectangle((60, 60, 580, 360), outline=(255, 255, 255), width=8)
    draw.text((90, 90), label, fill=(255, 255, 255))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


def _conversation(owner, title, *, hours_ago, turns, picture=None, failed=False):
    start = now() - timedelta(hours=hours_ago)
    conversation = Conversation.objects.create(
        owner=owner, title=title, model="gpt-4o", created=start, updated=start
    )
    for n, (question, answer) in enumerate(turns):
        at = start + timedelta(minutes=n)
        prompt = Message.objects.create(conversation=conversation, role="user", text=question,
                                        created=at)  # fmt: skip
        if picture and n == 0:
            checked = images.check_image(picture, name="receipt.jpg")
            attachment = images.store_image(owner=owner, checked=checked, name="receipt.jpg")
            attachment.message, attachment.tokens = prompt, 765
            attachment.save(update_fields=["message", "tokens"])
        last = failed and n == len(turns) - 1
        Message.objects.create(
            conversation=conversation, role="assistant", text=answer, model="gpt-4o",
            status="error" if last else "complete", created=at + timedelta(seconds=4),
            error="The gateway timed out after 120 s; try again." if last else "",
            error_code="timeout" if last else "", prompt_tokens=812, completion_tokens=64,
            first_token_ms=420 + 30 * n, total_ms=2300, finish_reason="" if last else "stop",
        )  # fmt: skip
    return conversation


def seed():
    alice = User.objects.get(username="alice")
    group = Group.objects.get(name="Reviewers")
    for name in os.environ.get("REVIEWERS", "rita").split(","):
        User.objects.create_user(name, password=os.environ["PASSWORD"], is_staff=True).groups.add(
            group
        )
    User.objects.create_user("stan", password=os.environ["PASSWORD"], is_staff=True)
    receipt = _conversation(
        alice, "What is the total on this receipt?", hours_ago=30, picture=_picture(
            (40, 90, 150), "TOTAL 42.50"),
        turns=[("What is the total on this receipt?",
                "The total is **42.50**, paid by card.\n\n| item | price |\n| --- | --- |\n"
                "| coffee | 3.50 |\n| lunch | 39.00 |"),
               ("And the date?", "It is dated 14 March; the year is cut off.")],
    )  # fmt: skip
    _conversation(
        alice, "Describe the street sign", hours_ago=20, picture=_picture((150, 60, 40), "STOP"),
        turns=[("What does this sign say?", "It says STOP.")],
    )  # fmt: skip
    failed = _conversation(
        alice, "Count the birds on the wire", hours_ago=10, failed=True,
        turns=[("How many birds?", "")],
    )  # fmt: skip
    QueueItem.objects.create(conversation=receipt, reason="sample",
                             created=now() - timedelta(hours=29))  # fmt: skip
    # The failed answer queued its conversation by rule already.
    QueueItem.objects.filter(conversation=failed).update(created=now() - timedelta(hours=9))
    answer = receipt.messages.filter(role="assistant").first()
    Feedback.objects.create(message=answer, rating="up", comment="Right total")
    older = _conversation(
        alice,
        "Is this mushroom edible?",
        hours_ago=50,
        turns=[("Is it edible?", "I cannot tell from a photo; do not eat it.")],
    )
    Review.objects.create(conversation=older, state="approved")
    Decision.objects.create(conversation=older, reviewer=User.objects.get(username="rita"),
                            value="approve")  # fmt: skip
