"""The review pages inside the admin, a module per page (wired by
ConversationAdmin.get_urls in ../admin.py, which is all that imports them):

- conversation.py: a conversation's review page and its actions
- export.py: that conversation exported (HTML, JSON Lines)
- queue.py: the queue's next and skip, the disagreements list
- pairs.py: "Judge next pair" and the pair page, blind until judged
- summary.py: the summary's figures and charts
"""

from chat.review.views import conversation, export, pairs, queue, summary

__all__ = ["conversation", "export", "pairs", "queue", "summary"]
