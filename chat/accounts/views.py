from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import UserCreationForm
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from chat.accounts import language, lockout
from chat.accounts.models import LanguagePreference
from chat.forms import PreferencesForm
from chat.models import Preferences


@login_required
def preferences(request):
    """A person's defaults for new conversations: model, instructions, settings."""
    form = PreferencesForm(request.POST or None, instance=Preferences.of(request.user))
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, gettext("Saved. New conversations start with these settings."))
        return redirect("chat-preferences")
    return render(request, "chat/preferences.html", {"form": form})


def signup(request):
    """Self sign-up, only where the operator allows it (SELF_SIGNUP)."""
    if not settings.SELF_SIGNUP:
        raise Http404("Sign-up is closed.")
    form = UserCreationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect("chat-home")
    return render(request, "registration/signup.html", {"form": form})


class LoginView(auth_views.LoginView):
    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "self_signup": settings.SELF_SIGNUP,
            **lockout.login_context(),
        }


@require_POST
def choose_language(request):
    """The language chosen on the login page or in settings: a cookie for this
    browser and, for a logged-in person, kept with them for every browser."""
    chosen = request.POST.get("language", "")
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = "/"
    response = HttpResponseRedirect(target)  # a path, never a URL name to reverse
    if not language.known(chosen):
        return response
    if request.user.is_authenticated:
        LanguagePreference.objects.update_or_create(
            user=request.user, defaults={"language": chosen}
        )
        request.session[language.SESSION_KEY] = chosen
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME, chosen, max_age=365 * 24 * 3600, samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )  # fmt: skip
    return response
