from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import UserCreationForm
from django.http import Http404
from django.shortcuts import redirect, render

from chat.accounts import lockout
from chat.forms import PreferencesForm
from chat.models import Preferences


@login_required
def preferences(request):
    """A person's defaults for new conversations: model, instructions, settings."""
    form = PreferencesForm(request.POST or None, instance=Preferences.of(request.user))
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Saved. New conversations start with these settings.")
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
