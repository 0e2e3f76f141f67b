"""Accounts (chat/accounts/): sign-up, Your data's archive, a closed account's
retention, imports."""

from tokengate_site.env import envbool, envint

# Self sign-up is off unless the operator turns it on.
SELF_SIGNUP = envbool("SELF_SIGNUP", "false")
# Your data (chat/accounts/): an account with more images than this, or more
# bytes of images and documents, has its archive built in the background; a
# closed account's data is kept this many days for review, then deleted by the
# daily purge_closed_accounts (0: deleted at once).
EXPORT_INLINE_IMAGES = envint("EXPORT_INLINE_IMAGES", "20")
EXPORT_INLINE_BYTES = envint("EXPORT_INLINE_BYTES", str(50 * 1024 * 1024))
CLOSED_ACCOUNT_RETENTION_DAYS = envint("CLOSED_ACCOUNT_RETENTION_DAYS", "30")
# Imports (ChatGPT, Open WebUI exports): the upload's size, and what its zip
# may unpack to in all (a zip bomb stops there with a sentence).
IMPORT_MAX_BYTES = envint("IMPORT_MAX_BYTES", str(512 * 1024 * 1024))
IMPORT_MAX_UNPACKED_BYTES = envint("IMPORT_MAX_UNPACKED_BYTES", str(2 * 1024 * 1024 * 1024))
