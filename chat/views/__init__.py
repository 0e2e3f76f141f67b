"""The app's pages and endpoints, one module per page or area: `conversations`
(the conversation page and what its header and sidebar change), `images`
(upload and serving), `account` (a person's defaults and password)."""
