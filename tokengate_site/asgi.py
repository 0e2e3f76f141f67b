import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tokengate_site.settings")
# Set up Django (apps, settings) before importing anything that touches models.
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402

from chat.live.origins import SameOriginOnly  # noqa: E402
from chat.live.routing import websocket_urlpatterns  # noqa: E402
from chat.ops.body_limit import BodyLimit  # noqa: E402
from chat.ops.client_address import ClientAddress  # noqa: E402
from chat.ops.health import Probes  # noqa: E402

# The client's address (behind TRUSTED_PROXIES) is set first, for everything after.
application = ClientAddress(
    ProtocolTypeRouter(
        {
            "http": Probes(BodyLimit(django_asgi_app)),
            # The whole origin (scheme, host, port) must be the site's own or trusted.
            "websocket": SameOriginOnly(AuthMiddlewareStack(URLRouter(websocket_urlpatterns))),
        }
    )
)
