import secrets
import sys

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils import translation
from django.utils.translation import gettext

from chat.accounts import language

DEMO_USERNAME = "demo"


class Command(BaseCommand):
    help = "Migrate, make sure the demo login exists, print it, and serve (manage.py serve)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", default=8000, type=int)
        parser.add_argument("--no-serve", action="store_true", help="set up, print, don't serve")

    def handle(self, *args, host, port, no_serve, **options):
        call_command("migrate", interactive=False, verbosity=0)
        password = self._demo_password()
        url = f"http://{host}:{port}/"
        values = {"url": url, "username": DEMO_USERNAME, "password": password,
                  "admin": f"{url}admin/", "gateway": settings.TOKENGATE_BASE_URL}  # fmt: skip
        # In the operator's locale; only here: the server started below sets its own.
        with translation.override(language.for_terminal()):
            self._say_ready(values)
        sys.stdout.flush()
        if not no_serve:
            call_command("serve", bind=host, port=port)

    def _say_ready(self, values):
        lines = [
            gettext("Open: %(url)s"),
            gettext("Login: %(username)s / %(password)s (also an admin: %(admin)s)"),
            gettext("Model: offline demo (set TOKENGATE_API_KEY to use the gateway)")
            if not settings.TOKENGATE_API_KEY
            else gettext("Gateway: %(gateway)s"),
        ]
        self.stdout.write(
            self.style.SUCCESS(gettext("TokenGate Vision Chat is ready."))
            + "".join(f"\n  {line % values}" for line in lines)
        )

    def _demo_password(self):
        """Create the demo user once; keep its password in a git-ignored file."""
        password_file = settings.DEMO_LOGIN_FILE
        User = get_user_model()
        if password_file.exists() and User.objects.filter(username=DEMO_USERNAME).exists():
            return password_file.read_text().strip()
        password = secrets.token_urlsafe(9)
        user, _ = User.objects.get_or_create(username=DEMO_USERNAME)
        user.is_staff = user.is_superuser = True
        user.set_password(password)
        user.save()
        password_file.write_text(password + "\n")
        return password
