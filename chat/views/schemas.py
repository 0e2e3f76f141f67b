"""A person's saved extraction schemas, on their settings: listed, added,
deleted; each person sees and changes only their own."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chat.forms import SavedSchemaForm
from chat.models import SavedSchema


def saved_schemas_of(user):
    """[{"name", "fields"}] for the composer's list (its json_script)."""
    return [
        {"name": name, "fields": fields}
        for name, fields in SavedSchema.objects.filter(owner=user).values_list("name", "fields")
    ]


@login_required
def schemas(request):
    form = SavedSchemaForm(request.POST or None, owner=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Saved. Pick it under “Extract these fields…”."))
        return redirect("chat-schemas")
    return render(
        request,
        "chat/schemas.html",
        {"form": form, "schemas": SavedSchema.objects.filter(owner=request.user)},
    )


@login_required
@require_POST
def delete_schema(request, code):
    get_object_or_404(SavedSchema, code=code, owner=request.user).delete()
    return redirect("chat-schemas")
