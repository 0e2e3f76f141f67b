"""The runs' pages and their JSON, for their owner only: start (from the
composer), the run's page and its status (polled), stop, retry, downloads."""

import json

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from chat import extraction
from chat.gateway import catalog
from chat.models import Run, RunItem
from chat.refusals import Refusal
from chat.runs import downloads, starting
from chat.runs.payloads import run_payload, run_summary


def _get_run_for_user(request, code):
    return get_object_or_404(Run, code=code, owner=request.user)


@login_required
@require_http_methods(["GET", "POST"])
def new_run(request):
    """GET: the page to upload images for a run. POST: start a run; JSON
    {"url"} of its page, or {"error": a sentence} with 400."""
    if request.method == "GET":
        context = {
            "models": catalog.choices(),
            "default_model": catalog.default(),
            "most": settings.RUN_MAX_ITEMS,
        }
        return render(request, "runs/new.html", context)
    try:
        run = starting.start(
            request.user,
            prompt=request.POST.get("prompt", ""),
            model=request.POST.get("model", ""),
            document=request.POST.get("document", "").strip() or None,
            images=request.POST.getlist("images"),
            schema=_schema(request.POST),
        )
    except Refusal as refusal:
        return JsonResponse({"error": refusal.message, "code": refusal.code}, status=400)
    return JsonResponse(
        {"code": str(run.code), "url": reverse("runs-run", args=[run.code])}, status=201
    )


def _schema(data):
    """The schema the answers must fit, from "fields" (JSON: [{"name", "type"}])
    or "schema" (JSON Schema), checked; None when neither is given."""
    given = {
        "fields": (extraction.schema_from_fields, _("The fields sent are not JSON.")),
        "schema": (extraction.check_schema, _("The schema sent is not JSON.")),
    }
    for key, (make, refusal) in given.items():
        if text := data.get(key, "").strip():
            try:
                value = json.loads(text)
            except ValueError:
                raise starting.RunRefused(refusal) from None
            return make(value)
    return None


@login_required
@require_GET
def run_list(request):
    runs = [run_summary(run) for run in Run.objects.filter(owner=request.user)[:100]]
    return render(request, "runs/list.html", {"runs": runs})


@login_required
@require_GET
def run_page(request, code):
    run = _get_run_for_user(request, code)
    return render(
        request,
        "runs/run.html",
        {"run": run, "payload": run_payload(run), "formats": list(downloads.FORMATS)},
    )


@login_required
@require_GET
def run_status(request, code):
    return JsonResponse(run_payload(_get_run_for_user(request, code)))


@login_required
@require_POST
def stop(request, code):
    run = _get_run_for_user(request, code)
    if run.stopped is None:
        run.stop()
    return JsonResponse(run_payload(run))


@login_required
@require_POST
def retry_item(request, code, position):
    run = _get_run_for_user(request, code)
    item = get_object_or_404(RunItem, run=run, position=position)
    if item.status not in (RunItem.Status.FAILED, RunItem.Status.STOPPED):
        sentence = _(
            "Item %(position)d is %(status)s: only a failed or stopped item can be sent again."
        )
        return JsonResponse(
            {"error": sentence % {"position": position, "status": item.get_status_display()}},
            status=400,
        )
    item.retry()
    run.refresh_from_db()
    return JsonResponse(run_payload(run))


@login_required
@require_POST
def retry_failed(request, code):
    run = _get_run_for_user(request, code)
    for item in run.items.filter(status=RunItem.Status.FAILED):
        item.retry()
    run.refresh_from_db()
    return JsonResponse(run_payload(run))


@login_required
@require_GET
def download(request, code, format):
    run = _get_run_for_user(request, code)
    if format not in downloads.FORMATS:
        raise Http404()
    response = HttpResponse(downloads.content(run, format), content_type=downloads.FORMATS[format])
    response["Content-Disposition"] = f'attachment; filename="run-{run.code}.{format}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
