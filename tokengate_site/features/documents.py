"""Documents (chat/documents/): PDFs and multi-page TIFFs."""

from tokengate_site.env import envfloat, envint

# Documents (chat/documents/): PDFs and multi-page TIFFs, rendered page by page in a
# process of its own with these limits.
DOCUMENT_MAX_BYTES = envint("DOCUMENT_MAX_BYTES", str(50 * 1024 * 1024))
DOCUMENT_MAX_PAGES = envint("DOCUMENT_MAX_PAGES", "300")
DOCUMENT_PAGE_SECONDS = envfloat("DOCUMENT_PAGE_SECONDS", "20")
DOCUMENT_RENDER_SECONDS = envfloat("DOCUMENT_RENDER_SECONDS", "600")
DOCUMENT_RENDER_MEMORY_MB = envint("DOCUMENT_RENDER_MEMORY_MB", "1024")
