"""Review (chat/review/): sampling into the queue, claims, reviews needed,
holding open, blind pairs."""

from django.core.exceptions import ImproperlyConfigured

from tokengate_site.env import envbool, envfloat, envint

# Review (chat/review/): the share of new conversations sampled into the queue
# (percent), how long a reviewer's claim on a queue item lasts, and how many
# independent reviews each queued conversation needs.
REVIEW_SAMPLE_PERCENT = envfloat("REVIEW_SAMPLE_PERCENT", "0")
REVIEW_CLAIM_MINUTES = envint("REVIEW_CLAIM_MINUTES", "30")
REVIEW_REQUIRED_REVIEWS = envint("REVIEW_REQUIRED_REVIEWS", "1")
# Hold a queued conversation open (one more review, up to the maximum) while its
# reviewers agree on less than this percent of their paired judgements; 0: off.
REVIEW_HOLD_BELOW_AGREEMENT = envint("REVIEW_HOLD_BELOW_AGREEMENT", "0")
REVIEW_HOLD_MAX_REVIEWS = envint("REVIEW_HOLD_MAX_REVIEWS", "5")
# Comparisons whose two answers reviewers judge blind (chat/review/pairs.py): this
# percent of blind picks, and every "both bad" unless turned off.
REVIEW_PAIR_SAMPLE_PERCENT = envfloat("REVIEW_PAIR_SAMPLE_PERCENT", "10")
REVIEW_PAIR_BOTH_BAD = envbool("REVIEW_PAIR_BOTH_BAD", "true")
if not 0 <= REVIEW_PAIR_SAMPLE_PERCENT <= 100:
    raise ImproperlyConfigured("REVIEW_PAIR_SAMPLE_PERCENT must be between 0 and 100.")
if not 0 <= REVIEW_HOLD_BELOW_AGREEMENT <= 100:
    raise ImproperlyConfigured("REVIEW_HOLD_BELOW_AGREEMENT must be between 0 and 100.")
if not 0 <= REVIEW_SAMPLE_PERCENT <= 100:
    raise ImproperlyConfigured("REVIEW_SAMPLE_PERCENT must be between 0 and 100.")
if REVIEW_CLAIM_MINUTES < 1 or REVIEW_REQUIRED_REVIEWS < 1:
    raise ImproperlyConfigured(
        "REVIEW_CLAIM_MINUTES and REVIEW_REQUIRED_REVIEWS must be at least 1."
    )
