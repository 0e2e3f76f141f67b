"""What a dataset left out and why, kept while it streams and stored at the end."""

from collections import Counter
from dataclasses import dataclass, field

# The report keeps this many named examples; the counts per rule cover all.
MAX_NAMED = 5_000


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
        lines = [f"{self.kept} kept from {self.conversations} conversations; "
                 f"{self.left_out_count} left out."]  # fmt: skip
        lines += [f"- {n} × {rule}" for rule, n in self.rules.most_common()]
        lines += self.notes
        return "\n".join(lines)
