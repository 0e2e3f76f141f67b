"""The Permissions-Policy header: the page may use the camera (the composer's
"Take photo", chat/studio/), from our own origin only, and no other powerful
feature: no microphone, location, screen capture, payment or USB."""

POLICY = ", ".join(
    [
        "camera=(self)",
        "microphone=()",
        "geolocation=()",
        "display-capture=()",
        "payment=()",
        "usb=()",
        "serial=()",
        "bluetooth=()",
    ]
)


class PermissionsPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", POLICY)
        return response
