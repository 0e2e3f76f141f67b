"""Production serves static files from collectstatic's manifest (hashed names,
ES module imports rewritten); development serves static/ as it is, so a
problem only production sees is caught here."""

from django.core.management import call_command
from django.test import override_settings


def test_collectstatic_builds_the_production_manifest(tmp_path, settings):
    """collectstatic failed with "Max post-process passes exceeded", and with it
    `manage.py serve` with DEBUG off and the benchmark: the viewer's lineage
    strip had made an import cycle (render → viewer → lineage → render), and
    the modules' imports had grown deeper than Django's five passes."""
    storages = {**settings.STORAGES}
    storages["staticfiles"] = {"BACKEND": "tokengate_site.storage.StaticFilesStorage"}

    with override_settings(STATIC_ROOT=tmp_path, STORAGES=storages):
        call_command("collectstatic", interactive=False, verbosity=0)

    manifest = (tmp_path / "staticfiles.json").read_text()
    assert '"js/chat/main.js"' in manifest
