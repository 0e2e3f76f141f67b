"""Supervised fine-tuning examples, OpenAI chat format, one JSON line each:
one per conversation path (the path its user ended on), or one per answer
with what led to it. Every example is checked against the chosen target's
limits; what is left out is named in the report with the rule that dropped it.
"""

import json
from dataclasses import dataclass

from django.utils.translation import gettext

from chat.models import Message
from chat.review.datasets import grounding, prompts
from chat.review.datasets.report import Reason, named
from chat.review.datasets.targets import Target

PER_PATH, PER_TURN = "path", "turn"


@dataclass
class Options:
    target: Target
    source: prompts.ImageSource
    unit: str = PER_PATH
    # False: only answers with an approved correction, a good verdict, or no
    # bad one in an approved conversation.
    every_answer: bool = False
    # A "boxes" key beside "messages": the boxes drawn on the example's images.
    with_boxes: bool = False


def unusable(message, item, *, every_answer):
    """Why this answer may not be trained on (a Reason); None if it may."""
    if message.correction:
        return None
    values = {"id": message.pk}
    if message.status == Message.Status.ERROR:
        return Reason(
            gettext("answer %(id)s is error and has no approved correction") % values,
            gettext("failed answer"),
        )
    if message.status != Message.Status.COMPLETE:
        return Reason(
            gettext("answer %(id)s is stopped and has no approved correction") % values,
            gettext("stopped answer"),
        )
    if every_answer:
        return None
    verdicts = {value for _, value in message.verdicts}
    if "bad" in verdicts:
        return Reason(
            gettext("answer %(id)s was judged bad and has no approved correction") % values,
            gettext("judged bad, no correction"),
        )
    if "good" in verdicts or item.state == "approved":
        return None
    return Reason(
        gettext("answer %(id)s is neither judged good nor in an approved conversation") % values,
        gettext("not judged good or approved"),
    )


def at(why, target):
    """A target's refusal with the service's name, for the report."""
    return gettext("%(reason)s (%(service)s)") % {"reason": why, "service": target.label}


def _units(item, path, unit):
    """(name, messages up to and including the answer(s) trained on)."""
    answers = [i for i, m in enumerate(path) if m.role == Message.Role.ASSISTANT]
    if unit == PER_TURN:
        for i in answers:
            yield named(item.code, answer=path[i].pk), path[: i + 1]
    elif answers:
        yield named(item.code), path[: answers[-1] + 1]


def examples(items, options, report):
    """JSON lines of the examples, counting into `report` what is kept and left out."""
    for item in items:
        report.conversations += 1
        path = [m for m in item.path() if m.status != Message.Status.STREAMING]
        units = list(_units(item, path, options.unit))
        if not units:
            report.leave_out(
                named(item.code), gettext("it has no answer"), rule_name=gettext("no answer")
            )
        for name, messages in units:
            line = example(item, name, messages, options, report)
            if line is not None:
                yield line


def example(item, name, messages, options, report):
    answers = [m for m in messages if m.role == Message.Role.ASSISTANT]
    if options.unit == PER_TURN:
        answers = answers[-1:]  # the earlier ones are context, not trained on
    for answer in answers:
        why = unusable(answer, item, every_answer=options.every_answer)
        if why:
            report.leave_out(name, why, rule_name=why.rule)
            return None
    why = options.target.refusal(prompts.user_images(messages))
    if why:
        report.leave_out(name, at(why, options.target), rule_name=why.rule)
        return None
    report.keep()
    line = {"messages": prompts.chat(item, messages, options.source)}
    if options.with_boxes:
        line["boxes"] = grounding.of_images(prompts.user_images(messages))
    return json.dumps(line, ensure_ascii=False) + "\n"
