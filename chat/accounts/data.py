"""Settings → Your data: download all my conversations, close my account."""

from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from chat.accounts import closing, exports
from chat.accounts.models import Export


class CloseAccountForm(forms.Form):
    password = forms.CharField(widget=forms.PasswordInput, label="Your password", strip=False)

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        if not self.user.check_password(self.cleaned_data["password"]):
            raise forms.ValidationError("That is not your password; the account stays open.")
        return ""


@login_required
@require_GET
def page(request):
    return render(request, "accounts/data.html", {
        "exports": Export.objects.filter(user=request.user)[:5],
        "close_form": CloseAccountForm(request.user),
        "retention": closing.retention_sentence(),
    })  # fmt: skip


@login_required
@require_POST
def export(request):
    made = exports.start(request.user)
    if made.status == Export.Status.READY:
        messages.success(request, "Your archive is ready: download it below.")
    else:
        messages.success(request, "Your archive is being built; its link appears here when ready.")
    return redirect("accounts-data")


@login_required
@require_GET
def export_status(request, code):
    made = get_object_or_404(Export, code=code, user=request.user)
    return JsonResponse({"status": made.status})


@login_required
@require_GET
def download(request, code):
    made = get_object_or_404(Export, code=code, user=request.user)
    if made.status != Export.Status.READY:
        raise Http404()
    response = FileResponse(
        made.file.open("rb"),
        as_attachment=True,
        filename=f"conversations-{made.created:%Y-%m-%d}.zip",
        content_type="application/zip",
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def close_account(request):
    form = CloseAccountForm(request.user, request.POST)
    if not form.is_valid():
        return render(request, "accounts/data.html", {
            "exports": Export.objects.filter(user=request.user)[:5],
            "close_form": form,
            "retention": closing.retention_sentence(),
        }, status=400)  # fmt: skip
    closing.close(request.user)
    logout(request)
    return render(request, "accounts/closed.html", {"retention": closing.retention_sentence()})
