"""Images (chat/images/): uploads' size, the decoding workers, URL fetches,
what each request resends."""

from tokengate_site.env import envbool, envfloat, envint, envlist, envturns

# Uploads: the gateway's limits (../shared/spec/gateway-vision-api.md).
IMAGE_MAX_BYTES = envint("IMAGE_MAX_BYTES", str(20 * 1024 * 1024))
IMAGE_MAX_PIXELS = envint("IMAGE_MAX_PIXELS", "50000000")
# Images decoded at once per process, the bytes of pixels they may hold
# together, and how many more may wait before "busy, try again" (chat/images/workers.py).
IMAGE_WORKERS = envint("IMAGE_WORKERS", "2")
IMAGE_DECODE_BUDGET = envint("IMAGE_DECODE_BUDGET", str(256 * 1024 * 1024))
IMAGE_WORKERS_WAITING = envint("IMAGE_WORKERS_WAITING", "8")
IMAGES_PER_MESSAGE = envint("IMAGES_PER_MESSAGE", "10")
# Image URLs typed by the user are fetched once by the server (chat/images/fetch.py).
# gpt-4o is then sent the https URL itself; Gemini models, whose endpoint often
# refuses remote URLs, get the stored copy as a data URI. True sends the stored
# copy to every model.
IMAGE_URL_FETCH_ALL_MODELS = envbool("IMAGE_URL_FETCH_ALL_MODELS", "False")
IMAGE_FETCH_TIMEOUT = envfloat("IMAGE_FETCH_TIMEOUT", "10")
# Test-only: addresses the fetcher may reach although they are not public.
IMAGE_FETCH_ALLOWED_ADDRESSES = envlist("IMAGE_FETCH_ALLOWED_ADDRESSES", "")
# New conversations resend the images of the last N user turns ("all": every one).
IMAGE_HISTORY_TURNS = envturns("IMAGE_HISTORY", "all")
# Estimated input tokens a request may hold; the oldest turns go first.
HISTORY_TOKEN_BUDGET = envint("HISTORY_TOKEN_BUDGET", "100000")
