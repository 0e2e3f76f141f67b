"""What a dataset left out and why, kept while it streams and stored at the end."""

from collections import Counter
from dataclasses import dataclass, field

from django.utils.translation import gettext, ngettext

# The report keeps this many named examples; the counts per rule cover all.
MAX_NAMED = 5_000


class Reason(str):
    """Why an example is left out: a sentence for the report, in the language of
    the person making the export, with `rule`, the kind of rule it states (the
    report counts by it)."""

    def __new__(cls, sentence, rule):
        reason = super().__new__(cls, sentence)
        reason.rule = rule
        return reason


def named(code, message=None, answer=None):
    """An example's name in the report: its conversation, and its message or answer."""
    if answer is not None:
        return gettext("conversation %(code)s, answer %(answer)s") % {
            "code": code,
            "answer": answer,
        }
    if message is not None:
        return gettext("conversation %(code)s, message %(message)s") % {
            "code": code, "message": message}  # fmt: skip
    return gettext("conversation %(code)s") % {"code": code}


@dataclass
class Report:
    conversations: int = 0
    kept: int = 0
    left_out: list = field(default_factory=list)  # [(example, rule)]
    rules: Counter = field(default_factory=Counter)
    notes: list = field(default_factory=list)  # sentences about the whole export

    def keep(self):
        self.kept += 1

    def leave_out(self, example, rule, *, rule_name=None):
        self.rules[rule_name or rule] += 1
        if len(self.left_out) < MAX_NAMED:
            self.left_out.append((example, rule))

    @property
    def left_out_count(self):
        return sum(self.rules.values())

    def as_text(self):
        lines = [
            ngettext(
                "%(kept)s kept from %(count)s conversation; %(left)s left out.",
                "%(kept)s kept from %(count)s conversations; %(left)s left out.",
                self.conversations,
            )
            % {"kept": self.kept, "count": self.conversations, "left": self.left_out_count}
        ]
        lines += [f"- {n} × {rule}" for rule, n in self.rules.most_common()]
        lines += self.notes
        return "\n".join(lines)
