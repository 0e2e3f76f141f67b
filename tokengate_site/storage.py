from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """Whitenoise's compressed, hashed static files, with the `import ... from
    "./x.js"` lines of the page's ES modules rewritten to the hashed names (so a
    changed module is never served stale from a year-long cache)."""

    support_js_module_import_aggregation = True
    # Each pass settles the hashed names of one more level of imports: the
    # page's modules import each other 13 deep (main.js → shortcuts.js → …),
    # past Django's 5. A cycle still fails, however many passes are allowed.
    max_post_process_passes = 30
