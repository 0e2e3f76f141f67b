"""A median as a database aggregate: PostgreSQL's percentile_cont, and on
SQLite an aggregate function of our own, registered on the connection before
the query that uses it, so the leaderboard's figures per model come from one
grouped query on either."""

import statistics

from django.db.models import Aggregate, FloatField


class Median(Aggregate):
    function = "median"
    name = "Median"
    output_field = FloatField()

    def as_sqlite(self, compiler, connection, **extra):
        # SQLite has no median: ours, on this connection (registering again is cheap).
        connection.ensure_connection()
        connection.connection.create_aggregate("median", 1, _SQLiteMedian)
        return self.as_sql(compiler, connection, **extra)

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            template="percentile_cont(0.5) WITHIN GROUP (ORDER BY %(expressions)s)",
            **extra,
        )


class _SQLiteMedian:
    def __init__(self):
        self.values = []

    def step(self, value):
        if value is not None:
            self.values.append(value)

    def finalize(self):
        return statistics.median(self.values) if self.values else None
