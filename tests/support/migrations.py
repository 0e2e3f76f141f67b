"""Moving the test database between migrations, for the tests of data migrations."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def migrate(targets):
    """Migrate to `targets` [(app, migration)]; return the apps as they are there."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def before(targets):
    """A fixture: the apps at `targets`, and the database migrated to the latest after."""

    @pytest.fixture
    def old_apps():
        yield migrate(targets)
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    return old_apps
