"""What the benchmark's clients count and how the table is printed.

The stamping upstream (chat/testing/upstream.py, Reply.stamped) sends each token
as "<sequence>:<send time in µs> ". A client rebuilds the answer from its token
events by their offsets, as the page does, and reads the stamps back: a missing
sequence number is a lost token, one that does not follow the last is out of
order, and the time it arrived minus its stamp is the latency the app added.
Times are time.monotonic_ns() // 1000, one clock for every process on a machine.

What a person waits for is Send to the first word on screen (`FirstToken`):
the client's send time to its first token's arrival. "Added" is that minus the
upstream's own first token (its stamp on it minus the moment the request
reached it); "relay only" is the arrival minus the stamp, the relay's share
after the turn was stored, the request built and the upstream asked.
"""

import math
from dataclasses import dataclass, field


def now_us():
    import time

    return time.monotonic_ns() // 1000


def stamp(sequence):
    return f"{sequence}:{now_us()} "


@dataclass
class StreamCount:
    """One answer as a client saw it."""

    end: int = 0  # where the answer's text that arrived ends (no copy is kept)
    carry: str = ""  # a stamp cut between two events
    last: int = -1  # the last sequence number read
    seen: set = field(default_factory=set)
    out_of_order: int = 0
    gaps: int = 0  # events that started past the text so far
    latencies: list = field(default_factory=list)  # µs per token, in arrival order
    arrivals: list = field(default_factory=list)  # µs at which each token arrived

    def token(self, offset, text, received):
        """A token event; `received` is its arrival time in µs."""
        if offset > self.end:
            self.gaps += 1
            self.carry = ""  # the stamp it cut is lost with the gap
            self.end = offset
        new = text[self.end - offset :]
        if not new:
            return
        self.end += len(new)
        *complete, self.carry = (self.carry + new).split(" ")
        for item in complete:
            self._stamp(item, received)

    def _stamp(self, item, received):
        try:
            sequence, sent = (int(part) for part in item.split(":"))
        except ValueError:
            self.out_of_order += 1  # not a stamp: text out of place
            return
        if sequence in self.seen or sequence != self.last + 1:
            self.out_of_order += 1
        self.seen.add(sequence)
        self.last = max(self.last, sequence)
        self.latencies.append(received - sent)
        self.arrivals.append(received)

    def lost(self, expected):
        return expected - len(self.seen & set(range(expected)))

    @property
    def first_latency(self):
        return self.latencies[0] if self.latencies else None

    @property
    def worst_gap(self):
        """The longest wait between two tokens arriving, in µs."""
        return max(
            (b - a for a, b in zip(self.arrivals, self.arrivals[1:], strict=False)), default=0
        )


@dataclass(frozen=True)
class FirstToken:
    """One answer's first token, in µs on the shared clock: the client's Send, the
    request reaching the upstream, the upstream's stamp on its first token, and
    that token reaching the client."""

    sent: int
    upstream_received: int
    stamped: int
    arrived: int

    @property
    def send_to_first(self):
        """What a person waits for: Send to the first word."""
        return self.arrived - self.sent

    @property
    def upstream_own(self):
        """The upstream's own first-token time, which no app can shorten."""
        return self.stamped - self.upstream_received

    @property
    def added(self):
        """Send to the first word, less the upstream's own first-token time."""
        return self.send_to_first - self.upstream_own

    @property
    def to_upstream(self):
        """Send to the request reaching the upstream: storing the turn, building the request."""
        return self.upstream_received - self.sent

    @property
    def relay_only(self):
        """The first token's arrival minus its stamp: the relay's share only."""
        return self.arrived - self.stamped


def percentile(values, fraction):
    """Nearest-rank percentile; None for no values."""
    values = sorted(values)
    if not values:
        return None
    return values[max(0, math.ceil(fraction * len(values)) - 1)]


def ms(us):
    return "—" if us is None else f"{us / 1000:.1f}"


def table(header, rows):
    """A Markdown table, every column as wide as its widest cell."""
    cells = [list(map(str, header))] + [[str(c) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]

    def line(row):
        return "| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |"

    return "\n".join(
        [line(cells[0]), "| " + " | ".join("-" * w for w in widths) + " |"]
        + [line(row) for row in cells[1:]]
    )
