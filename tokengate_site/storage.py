from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """Whitenoise's compressed, hashed static files, with the `import ... from
    "./x.js"` lines of the page's ES modules rewritten to the hashed names (so a
    changed module is never served stale from a year-long cache)."""

    support_js_module_import_aggregation = True
