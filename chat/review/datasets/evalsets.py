"""Evaluation sets: the prompts of the selection with their images and a
reference answer each (the correction where there is one), one JSON line per
answer on the path its user ended on, to replay against a new model later."""

import json

from django.utils.translation import gettext

from chat.models import Message
from chat.review.datasets import grounding, prompts
from chat.review.datasets.report import named
from chat.review.datasets.sft import unusable


def lines(items, options, report):
    for item in items:
        report.conversations += 1
        path = [m for m in item.path() if m.status != Message.Status.STREAMING]
        for i, answer in enumerate(path):
            if answer.role != Message.Role.ASSISTANT:
                continue
            name = named(item.code, answer=answer.pk)
            why = unusable(answer, item, every_answer=options.every_answer)
            if why is None:
                why = options.target.refusal(prompts.user_images(path[:i]))
            if why:
                report.leave_out(name, why, rule_name=gettext("reference not usable"))
                continue
            report.keep()
            line = {
                "id": f"{item.code}:{answer.pk}",
                "messages": prompts.chat(item, path[:i], options.source),
                "reference": answer.correction or answer.text,
                "reference_is_correction": bool(answer.correction),
                "model": answer.model,
                "tags": sorted({*item.tags, *answer.tags}),
                "boxes": grounding.of_images(prompts.user_images(path[:i])),
            }
            yield json.dumps(line, ensure_ascii=False) + "\n"
