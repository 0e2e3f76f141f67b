"""manage.py serve: daphne's server, with what a production process needs around it.

Daphne has no ASGI lifespan support, and on SIGTERM it cancels only the socket
applications, so the answers this process runs would be dropped mid-stream.
Here, from the start, the gateway's client is made (its TLS context and first
imports are not paid for by the first answers), abandoned answers are swept
(chat/live/lifecycle.py); on
SIGTERM or SIGINT the process stops listening, lets running answers finish
for SHUTDOWN_GRACE_SECONDS, interrupts and announces the rest, closes its
sockets with 1012, and only then lets daphne stop. Runs (chat/runs/worker.py)
are worked on from the start too; on SIGTERM their items in flight get the
same grace, and the rest are handed back for the next process to send.
"""

import asyncio
import logging
import sys

# Twisted's asyncio reactor is already installed: the daphne app (INSTALLED_APPS)
# imports daphne.server before anything imports twisted.internet.reactor.
from daphne.endpoints import build_endpoint_description_strings
from daphne.server import Server
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext
from twisted.internet import defer, reactor

from chat import gateway
from chat.accounts import language
from chat.images import workers
from chat.live import backpressure, groups, lifecycle
from chat.ops import metrics
from chat.ops.access_log import AccessLog
from chat.runs import worker as runs

logger = logging.getLogger("chat.serve")


class GracefulServer(Server):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.ports = []
        self.sweep = None
        self.runs = None

    def run(self):
        reactor.callLater(0, self._start_tasks)
        super().run()

    def _start_tasks(self):
        gateway.warm()  # before the first Send, not during it
        self.sweep = asyncio.get_event_loop().create_task(lifecycle.sweep_forever())
        self.runs = runs.start()  # unfinished runs go on, here and in every other process

    def listen_success(self, port):
        super().listen_success(port)
        self.ports.append(port)
        host = port.getHost()
        logger.info("serving on %s:%s", getattr(host, "host", host), getattr(host, "port", ""))

    async def handle_reply(self, protocol, message):
        if message["type"] == "websocket.close" and backpressure.close_with_standard_code(
            protocol, message.get("code")
        ):
            return
        await super().handle_reply(protocol, message)
        if message["type"] == "websocket.send":
            backpressure.bound(protocol, settings.WEBSOCKET_MAX_QUEUED_BYTES)

    def kill_all_applications(self):
        # Twisted waits for this Deferred before it stops the event loop.
        return defer.Deferred.fromFuture(asyncio.ensure_future(self._stop_gracefully()))

    async def _stop_gracefully(self):
        for port in self.ports:
            port.stopListening()  # new connections go to the other processes
        grace = settings.SHUTDOWN_GRACE_SECONDS
        await asyncio.gather(lifecycle.shutdown(grace), runs.shutdown(grace))
        for task in (self.sweep, self.runs):
            if task:
                task.cancel()
        # What daphne's kill_all_applications does, minus its KeyError on
        # connections whose application already finished.
        instances = [
            details["application_instance"]
            for details in self.connections.values()
            if "application_instance" in details and not details["application_instance"].done()
        ]
        for instance in instances:
            instance.cancel()
        await asyncio.gather(*instances, return_exceptions=True)
        logger.info("stopped")


class Command(BaseCommand):
    help = "Serve the app with daphne, sweeping abandoned answers and stopping gracefully."

    def add_arguments(self, parser):
        parser.add_argument("--bind", default="127.0.0.1", help="address to listen on")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--proxy-headers",
            action="store_true",
            help="accepted for old command lines: the client's address comes from "
            "X-Forwarded-For as TRUSTED_PROXIES says (chat/ops/client_address.py)",
        )
        parser.add_argument("--access-log", action="store_true", help="log requests to stdout")

    def handle(self, *args, bind, port, proxy_headers, access_log, **options):
        if proxy_headers and not settings.TRUSTED_PROXIES:
            # daphne's own reading took the header's first address, which the client writes.
            with translation.override(language.for_terminal()):  # the operator's locale
                raise CommandError(
                    gettext(
                        "--proxy-headers needs TRUSTED_PROXIES, the number of proxies in front "
                        "(1 behind nginx): the client's address is read from X-Forwarded-For then."
                    )
                )
        metrics.forget_dead_processes()
        workers.return_freed_memory()
        application = import_string(settings.ASGI_APPLICATION)
        groups.load_layer()
        if access_log:
            application = AccessLog(application, sys.stdout)
        server = GracefulServer(
            application=application,
            endpoints=build_endpoint_description_strings(host=bind, port=port),
        )
        try:
            server.run()
        finally:
            metrics.process_exiting()
