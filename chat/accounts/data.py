"""Settings → Your data: download all my conversations, close my account."""

import re
from unicodedata import normalize

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.timezone import localtime
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from chat.accounts import closing, exports
from chat.accounts.imports import job
from chat.accounts.imports.parsed import ImportRefused
from chat.accounts.models import Export, Import


class CloseAccountForm(forms.Form):
    password = forms.CharField(
        widget=forms.PasswordInput, label=gettext_lazy("Your password"), strip=False
    )

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        if not self.user.check_password(self.cleaned_data["password"]):
            raise forms.ValidationError(
                gettext("That is not your password; the account stays open.")
            )
        return ""


def _page(request, *, close_form=None, status=200):
    return render(request, "accounts/data.html", {
        "exports": Export.objects.filter(user=request.user)[:5],
        "imports": Import.objects.filter(user=request.user)[:5],
        "close_form": close_form or CloseAccountForm(request.user),
        "retention": closing.retention_sentence(),
    }, status=status)  # fmt: skip


@login_required
@require_GET
def page(request):
    return _page(request)


@login_required
@require_POST
def import_file(request):
    """Bring conversations in from a ChatGPT or Open WebUI export."""
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise ImportRefused(gettext("Choose the export file first (a .zip or .json)."))
        if upload.size > settings.IMPORT_MAX_BYTES:
            raise ImportRefused(
                gettext("“%(name)s” is %(size)s MB; an import may be at most %(limit)s MB.")
                % {"name": upload.name, "size": f"{upload.size / 1024**2:.0f}",
                   "limit": f"{settings.IMPORT_MAX_BYTES / 1024**2:.0f}"}
            )  # fmt: skip
        job.start(request.user, upload)
    except ImportRefused as refusal:
        messages.error(request, refusal.message)
    return redirect("accounts-data")


@login_required
@require_GET
def import_status(request, code):
    record = get_object_or_404(Import, code=code, user=request.user)
    return JsonResponse({"status": record.status, "done": record.done, "total": record.total})


@login_required
@require_POST
def export(request):
    made = exports.start(request.user)
    if made.status == Export.Status.READY:
        messages.success(request, gettext("Your archive is ready: download it below."))
    else:
        messages.success(
            request, gettext("Your archive is being built; its link appears here when ready.")
        )
    return redirect("accounts-data")


@login_required
@require_GET
def export_status(request, code):
    made = get_object_or_404(Export, code=code, user=request.user)
    return JsonResponse({"status": made.status})


def _archive_name(export):
    """tokengate-data-<username>-<date>.zip, in ASCII: accents are dropped
    (José → Jose), "@" and the like become "-", and a username with no Latin
    letters or digits (张伟) is left out."""
    ascii_name = normalize("NFKD", export.user.get_username()).encode("ascii", "ignore").decode()
    username = re.sub(r"[^A-Za-z0-9._-]+", "-", ascii_name).strip("-._")
    day = f"{localtime(export.created):%Y-%m-%d}"
    return f"tokengate-data-{username}-{day}.zip" if username else f"tokengate-data-{day}.zip"


@login_required
@require_GET
def download(request, code):
    made = get_object_or_404(Export.objects.select_related("user"), code=code, user=request.user)
    if made.status != Export.Status.READY:
        raise Http404()
    response = FileResponse(
        made.file.open("rb"),
        as_attachment=True,
        filename=_archive_name(made),
        content_type="application/zip",
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def close_account(request):
    form = CloseAccountForm(request.user, request.POST)
    if not form.is_valid():
        return _page(request, close_form=form, status=400)
    closing.close(request.user)
    logout(request)
    return render(request, "accounts/closed.html", {"retention": closing.retention_sentence()})
