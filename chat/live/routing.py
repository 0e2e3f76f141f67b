from django.urls import path

from chat.live.consumer import ChatConsumer

websocket_urlpatterns = [
    path("ws/chat/<uuid:code>/", ChatConsumer.as_asgi()),
]
