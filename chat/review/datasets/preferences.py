"""Preference pairs (chosen / rejected answers to one shared prompt with its
images), one JSON line each, in the shape OpenAI's preference fine-tuning
(DPO) reads: `input.messages`, `preferred_output`, `non_preferred_output`;
`source` says where the pair came from:

- "correction": an answer's approved correction over the answer itself;
- "thumbs": a version its user thumbed up over a sibling thumbed down;
- "verdicts": a version reviewers judged good over a sibling judged bad;
- "comparison": the answer a person picked in a comparison of models over
  each other column (chat.models.Pick; ties and "both bad" give no pair).

Siblings are versions of one answer (regenerations under the same prompt).
"""

import json
from itertools import product

from django.utils.translation import gettext

from chat.models import Message
from chat.review.datasets import prompts
from chat.review.datasets.report import named
from chat.review.datasets.sft import at


def _ancestry(item):
    """{message id: the messages from the first down to it}."""
    parents = {m.pk: m.parent_id for m in item.messages}
    by_id = {m.pk: m for m in item.messages}

    def up_to(pk):
        line, seen = [], set()
        while pk is not None and pk in by_id and pk not in seen:
            seen.add(pk)
            line.append(by_id[pk])
            pk = parents[pk]
        return line[::-1]

    return up_to


def _verdict(message):
    """ "good" or "bad" when the reviewers agree on it, else None."""
    values = {value for _, value in message.verdicts}
    return values.pop() if len(values) == 1 else None


def pairs_of(item):
    """(source, prompt path, chosen text, rejected text, answer ids)."""
    up_to = _ancestry(item)
    answers = [
        m for m in item.messages
        if m.role == Message.Role.ASSISTANT and m.status == Message.Status.COMPLETE
    ]  # fmt: skip
    for answer in answers:
        if answer.correction and answer.correction != answer.text:
            yield "correction", up_to(answer.parent_id), answer.correction, answer.text, [answer.pk]
    by_id = {m.pk: m for m in answers}
    for winner_id in item.picks:
        winner = by_id.get(winner_id)
        if winner is None:
            continue
        for other in answers:
            if other.comparison_id == winner.comparison_id and other is not winner:
                yield "comparison", up_to(winner.parent_id), winner.text, other.text, [
                    winner.pk, other.pk,
                ]  # fmt: skip
    siblings = {}
    for answer in answers:
        siblings.setdefault(answer.parent_id, []).append(answer)
    for parent, versions in siblings.items():
        ups = [m for m in versions if m.rating == "up"]
        downs = [m for m in versions if m.rating == "down"]
        for good, bad in product(ups, downs):
            yield "thumbs", up_to(parent), good.text, bad.text, [good.pk, bad.pk]
        goods = [m for m in versions if _verdict(m) == "good"]
        bads = [m for m in versions if _verdict(m) == "bad"]
        for good, bad in product(goods, bads):
            yield "verdicts", up_to(parent), good.text, bad.text, [good.pk, bad.pk]


def lines(items, options, report):
    for item in items:
        report.conversations += 1
        found = False
        for source, path, chosen, rejected, ids in pairs_of(item):
            found = True
            name = gettext("conversation %(code)s, %(source)s pair of answer(s) %(ids)s") % {
                "code": item.code, "source": source, "ids": ids}  # fmt: skip
            why = options.target.refusal(prompts.user_images(path))
            if why:
                report.leave_out(name, at(why, options.target), rule_name=gettext("image limits"))
                continue
            report.keep()
            line = {
                "input": {"messages": prompts.chat(item, path, options.source)},
                "preferred_output": [{"role": "assistant", "content": chosen}],
                "non_preferred_output": [{"role": "assistant", "content": rejected}],
                "source": source,
                "id": f"{item.code}:{'-'.join(map(str, ids))}",
            }
            yield json.dumps(line, ensure_ascii=False) + "\n"
        if not found:
            report.leave_out(
                named(item.code),
                gettext(
                    "no correction, no pick in a comparison, no thumbed-up and thumbed-down "
                    "versions, no good and bad verdicts on versions of one answer"
                ),
                rule_name=gettext("no pair in it"),
            )
