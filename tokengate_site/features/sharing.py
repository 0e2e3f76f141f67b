"""Share links (chat/sharing/)."""

from tokengate_site.env import envint

# The public pages are rendered at most once per SHARE_CACHE_SECONDS per link, and
# each address may ask for SHARE_REQUESTS_PER_MINUTE pages and images (0: no limit),
# counted in the cache: Redis when REDIS_URL is set, so every process shares it.
SHARE_CACHE_SECONDS = envint("SHARE_CACHE_SECONDS", "10")
SHARE_REQUESTS_PER_MINUTE = envint("SHARE_REQUESTS_PER_MINUTE", "120")
