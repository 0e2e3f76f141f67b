"""Supervised fine-tuning examples, OpenAI chat format, one JSON line each:
one per conversation path (the path its user ended on), or one per answer
with what led to it. Every example is checked against the chosen target's
limits; what is left out is named in the report with the rule that dropped it.
"""

import json
from dataclasses import dataclass

from chat.models import Message
from chat.review.datasets import grounding, prompts
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
    """Why this answer may not be trained on, as a sentence; None if it may."""
    if message.correction:
        return None
    if message.status != Message.Status.COMPLETE:
        return f"answer {message.pk} is {message.status} and has no approved correction"
    if every_answer:
        return None
    verdicts = {value for _, value in message.verdicts}
    if "bad" in verdicts:
        return f"answer {message.pk} was judged bad and has no approved correction"
    if "good" in verdicts or item.state == "approved":
        return None
    return f"answer {message.pk} is neither judged good nor in an approved conversation"


def _rule(sentence):
    """The kind of rule a sentence states, for the report's counts."""
    for words, kind in (
        ("judged bad", "judged bad, no correction"),
        ("neither judged good", "not judged good or approved"),
        (" is error", "failed answer"), (" is stopped", "stopped answer"),
        ("images, more than", "too many images"), ("bytes, over", "image too large"),
        ("format", "image format refused"), ("no answer", "no answer"),
    ):  # fmt: skip
        if words in sentence:
            return kind
    return sentence


def _units(item, path, unit):
    """(name, messages up to and including the answer(s) trained on)."""
    answers = [i for i, m in enumerate(path) if m.role == Message.Role.ASSISTANT]
    if unit == PER_TURN:
        for i in answers:
            yield f"conversation {item.code}, answer {path[i].pk}", path[: i + 1]
    elif answers:
        yield f"conversation {item.code}", path[: answers[-1] + 1]


def examples(items, options, report):
    """JSON lines of the examples, counting into `report` what is kept and left out."""
    for item in items:
        report.conversations += 1
        path = [m for m in item.path() if m.status != Message.Status.STREAMING]
        units = list(_units(item, path, options.unit))
        if not units:
            report.leave_out(f"conversation {item.code}", "it has no answer", rule_name="no answer")
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
            report.leave_out(name, why, rule_name=_rule(why))
            return None
    why = options.target.refusal(prompts.user_images(messages))
    if why:
        report.leave_out(name, f"{why} ({options.target.label})", rule_name=_rule(why))
        return None
    report.keep()
    line = {"messages": prompts.chat(item, messages, options.source)}
    if options.with_boxes:
        line["boxes"] = grounding.of_images(prompts.user_images(messages))
    return json.dumps(line, ensure_ascii=False) + "\n"
