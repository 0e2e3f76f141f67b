"""Documents, from upload to page images:

- `kinds`: which files are documents (by their first bytes) and `DocumentRejected`;
- `render`: the renderer process (`renderer.py`), its time and memory limits;
- `intake`: the original stored once, each page into chat/images/;
- `background`: pages rendered after the upload has answered.
"""

from chat.documents.kinds import DocumentRejected, check_document_size, document_kind

__all__ = ["DocumentRejected", "check_document_size", "document_kind"]
