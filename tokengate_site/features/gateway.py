"""The gateway (chat/gateway/): where it is, its key, its models and what each
takes, the client's timeouts, connections and retries."""

import os

from tokengate_site.env import envbool, envfloat, envint, envlist

# The gateway. With no key, the offline demo model answers instead.
TOKENGATE_BASE_URL = os.getenv("TOKENGATE_BASE_URL", "https://gateway.mytokengate.com/v1")
TOKENGATE_API_KEY = os.getenv("TOKENGATE_API_KEY", "")
TOKENGATE_MODELS = envlist(
    "TOKENGATE_MODELS",
    "gpt-4o,gemini-2.5-flash-image,gemini-2.5-pro,"
    "gemini-3-pro-image-preview,gemini-3.1-flash-image-preview",
)
# The models that make images (chat/studio/): the composer offers them an aspect
# ratio and size, sent as OpenRouter's "modalities" and "image_config" unless
# TOKENGATE_IMAGE_CONFIG is off (for gateways that refuse any unknown field).
TOKENGATE_IMAGE_MODELS = envlist(
    "TOKENGATE_IMAGE_MODELS",
    "gemini-2.5-flash-image,gemini-3-pro-image-preview,gemini-3.1-flash-image-preview",
)
TOKENGATE_IMAGE_CONFIG = envbool("TOKENGATE_IMAGE_CONFIG", "True")
# The models asked for an extraction's JSON with response_format json_schema
# (chat/extraction/); any other model is asked by instruction alone.
STRUCTURED_OUTPUT_MODELS = envlist(
    "STRUCTURED_OUTPUT_MODELS",
    "gpt-4o,gemini-2.5-flash-image,gemini-2.5-pro,"
    "gemini-3-pro-image-preview,gemini-3.1-flash-image-preview",
)
# Models that take the longest answer as max_completion_tokens (id prefixes).
TOKENGATE_COMPLETION_TOKENS_MODELS = envlist("TOKENGATE_COMPLETION_TOKENS_MODELS", "o1,o3,o4,gpt-5")
TOKENGATE_CONNECT_TIMEOUT = envfloat("TOKENGATE_CONNECT_TIMEOUT", "10")
TOKENGATE_READ_TIMEOUT = envfloat("TOKENGATE_READ_TIMEOUT", "120")
TOKENGATE_MAX_RETRIES = envint("TOKENGATE_MAX_RETRIES", "2")
# Answers streaming from the gateway at once, per process (one connection each).
TOKENGATE_MAX_CONNECTIONS = envint("TOKENGATE_MAX_CONNECTIONS", "1000")
# Backoff between retries: the base doubles per retry up to the maximum (seconds),
# as in the official OpenAI SDK. A Retry-After longer than the last one is not
# waited out: the user is told when to try again.
TOKENGATE_RETRY_BASE_SECONDS = envfloat("TOKENGATE_RETRY_BASE_SECONDS", "0.5")
TOKENGATE_RETRY_MAX_SECONDS = envfloat("TOKENGATE_RETRY_MAX_SECONDS", "8")
TOKENGATE_RETRY_AFTER_MAX_SECONDS = envfloat("TOKENGATE_RETRY_AFTER_MAX_SECONDS", "60")
