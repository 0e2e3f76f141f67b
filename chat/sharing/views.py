"""Share links: made by the owner from the conversation's header, listed and
revoked in their settings, and the page (and its images) anyone with the link
opens without logging in."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.timezone import now
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from chat import images
from chat.models import ImageAttachment
from chat.sharing import throttle
from chat.sharing.forms import ShareForm
from chat.sharing.models import Share
from chat.views.access import form_errors, get_conversation_for_user

# More live links than anyone shares by hand: a cap on a script making them.
LIVE_LINKS_PER_PERSON = 200


def _link(request, share):
    return request.build_absolute_uri(reverse("sharing-page", args=[share.token]))


@login_required
@require_POST
def create(request, code):
    """A new link to the conversation: {"url", "expires"}, or a sentence."""
    conversation = get_conversation_for_user(request, code)
    form = ShareForm(request.POST)
    if not form.is_valid():
        return JsonResponse({"error": form_errors(form)}, status=400)
    if Share.objects.of(request.user).live().count() >= LIVE_LINKS_PER_PERSON:
        return JsonResponse(
            {"error": gettext("You have %(count)s share links open, the most at once: "
                              "revoke some in your settings first.")
                      % {"count": LIVE_LINKS_PER_PERSON}}, status=400,
        )  # fmt: skip
    after = form.expires_after()
    share = Share.objects.create(
        conversation=conversation,
        shown_as=form.cleaned_data["shown_as"],
        keep_updated=form.cleaned_data["keep_updated"],
        message_ids=conversation.path_ids(),
        expires=now() + after if after else None,
    )
    return JsonResponse(
        {"url": _link(request, share), "expires": share.expires and share.expires.isoformat()},
        status=201,
    )


@login_required
@require_GET
def shares(request):
    """The person's links: when made, how often opened, Revoke."""
    links = Share.objects.of(request.user).select_related("conversation")
    for share in links:
        share.url = _link(request, share)
    return render(request, "sharing/shares.html", {"shares": links})


@login_required
@require_POST
def revoke(request, pk):
    share = get_object_or_404(Share.objects.of(request.user), pk=pk)
    share.revoke()
    messages.success(request, gettext("Revoked: the link no longer opens."))
    return redirect("sharing-list")


# ---- The public side: no login, read-only ---------------------------------------


def _too_many(seconds):
    response = HttpResponse(
        gettext("Too many requests from your address; try again in %(seconds)s seconds.")
        % {"seconds": seconds},
        status=429,
        content_type="text/plain; charset=utf-8",
    )
    response["Retry-After"] = str(seconds)
    return response


def _live_share(token):
    """The live share with this token, or 404: a revoked or expired link, or one
    whose conversation was deleted, is gone at once in every process (one query)."""
    share = Share.objects.live().select_related("conversation").filter(token=token).first()
    if share is None:
        raise Http404()
    return share


def _public(response):
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"  # the token is in the URL
    return response


def _rendered(share):
    """The page's HTML, kept briefly: a popular link is rendered once every few
    seconds, not per visitor. The key changes when a followed path does, and
    holds the visitor's language: each reads the page around it in their own."""
    conversation = share.conversation
    version = f"{conversation.current_id}:{conversation.updated.timestamp()}"
    language = translation.get_language()
    key = f"share-page:{share.token}:{language}:{version if share.keep_updated else 'snapshot'}"
    html = cache.get(key)
    if html is None:
        context = {"share": share, "conversation": conversation,
                   "messages": conversation.messages_of(share.path_ids())}  # fmt: skip
        html = render_to_string("sharing/shared.html", context)
        cache.set(key, html, timeout=settings.SHARE_CACHE_SECONDS)
    return html


@require_GET
def page(request, token):
    wait = throttle.seconds_to_wait(request)
    if wait:
        return _public(_too_many(wait))
    share = _live_share(token)
    share.count_opening()
    response = HttpResponse(_rendered(share))
    response["Cache-Control"] = "private, no-cache"
    return _public(response)


@require_GET
def image(request, token, code):
    """An image the shared path shows, as its cleaned copy (upright, no metadata):
    never the original, never an image off the path."""
    wait = throttle.seconds_to_wait(request)
    if wait:
        return _public(_too_many(wait))
    share = _live_share(token)
    attachment = ImageAttachment.objects.filter(code=code, message_id__in=share.path_ids()).first()
    if attachment is None:
        raise Http404()
    derivative = images.derivative_for(attachment, kind="high")
    etag = f'"{derivative.sha256}"'
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponse(status=304)
    else:
        extension = derivative.mime.rsplit("/", 1)[-1].replace("jpeg", "jpg")
        response = FileResponse(
            derivative.file.open("rb"), content_type=derivative.mime, filename=f"image.{extension}"
        )
        response["X-Content-Type-Options"] = "nosniff"
    # The browser asks again each time (a revoked link's images must stop at
    # once), and the ETag makes that a 304 without the bytes.
    response["ETag"] = etag
    response["Cache-Control"] = "private, no-cache"
    return _public(response)
