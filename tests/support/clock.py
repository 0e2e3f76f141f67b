"""A fake event-loop clock: time() and call_later() as asyncio's loop has them,
with time that moves only when a test says (advance)."""


class FakeTimer:
    def __init__(self, when, callback, args):
        self.when, self.callback, self.args = when, callback, args
        self.cancelled = False

    def cancel(self):
        self.cancelled = True


class FakeClock:
    def __init__(self):
        self.now = 0.0
        self.timers = []

    def time(self):
        return self.now

    def call_later(self, delay, callback, *args):
        timer = FakeTimer(self.now + delay, callback, args)
        self.timers.append(timer)
        return timer

    def pending(self):
        return [t for t in self.timers if not t.cancelled]

    def advance(self, seconds):
        """Move time on and run the timers now due, in order."""
        self.now += seconds
        for timer in sorted(self.pending(), key=lambda t: t.when):
            if timer.when <= self.now:
                self.timers.remove(timer)
                timer.callback(*timer.args)
