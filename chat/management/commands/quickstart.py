import secrets
import sys

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand

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
        self.stdout.write(
            self.style.SUCCESS("TokenGate Vision Chat is ready.")
            + f"\n  Open:     {url}"
            + f"\n  Login:    {DEMO_USERNAME} / {password}  (also an admin: {url}admin/)"
            + (
                "\n  Model:    offline demo (set TOKENGATE_API_KEY to use the gateway)"
                if not settings.TOKENGATE_API_KEY
                else f"\n  Gateway:  {settings.TOKENGATE_BASE_URL}"
            )
        )
        sys.stdout.flush()
        if not no_serve:
            call_command("serve", bind=host, port=port)

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
