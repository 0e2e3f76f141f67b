"""A socket lives no longer than the login it was opened with.

The login is checked when a socket connects, and again before each action (at
most every SESSION_CHECK_SECONDS per socket): the session must still exist,
hold the same user, and carry that user's current auth hash (which a password
change alters), and the user must be active. Logging out, a password change,
deactivation or deletion also tell every socket of that person, in every
process, through the person's group, to check at once: a socket whose login
ended is closed with 4401, and the page says "You are logged out".
"""

import hashlib
import time
from importlib import import_module

from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.conf import settings
from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.auth.signals import user_logged_out
from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_save
from django.utils.crypto import constant_time_compare

from chat.live.groups import person_group

# How long a socket trusts its last check; a logout closes it at once anyway.
SESSION_CHECK_SECONDS = 5.0

# The person-group message that asks each socket to check its login now.
CHECK_EVENT = "session.check"


def fingerprint(session_key):
    """What travels on the channel layer instead of the session key itself."""
    return hashlib.sha256(session_key.encode()).hexdigest() if session_key else ""


def _auth_hashes(user):
    yield user.get_session_auth_hash()
    for secret in settings.SECRET_KEY_FALLBACKS:  # as django.contrib.auth.get_user allows
        yield user._get_session_auth_hash(secret=secret)


def session_is_current(session_key, user_id):
    """True while `session_key` is a live session of the active user `user_id`,
    with the auth hash of that user's current password. Reads, never writes."""
    if not session_key:
        return False
    data = import_module(settings.SESSION_ENGINE).SessionStore(session_key).load()
    if str(data.get(SESSION_KEY)) != str(user_id):
        return False
    user = get_user_model()._default_manager.filter(pk=user_id, is_active=True).first()
    stored = data.get(HASH_SESSION_KEY) or ""
    return user is not None and any(constant_time_compare(stored, h) for h in _auth_hashes(user))


class SessionGuard:
    """One per socket: is the login it was opened with still valid?"""

    def __init__(self, scope):
        session = scope.get("session")
        self.session_key = getattr(session, "session_key", None) if session is not None else None
        self.user_id = scope["user"].pk
        self.checked = time.monotonic()  # the connect just checked it
        self.valid = True  # once False, for good

    async def still_valid(self, force=False):
        if self.valid and (force or time.monotonic() - self.checked >= SESSION_CHECK_SECONDS):
            self.valid = await database_sync_to_async(session_is_current)(
                self.session_key, self.user_id
            )
            self.checked = time.monotonic()
        return self.valid

    def ended(self, event):
        """True when `event` says this socket's own session was logged out."""
        if event.get("ended") and event["ended"] == fingerprint(self.session_key):
            self.valid = False
        return not self.valid


def check_sockets_of(user_id, ended_session_key=None):
    """Ask every socket of `user_id`, in every process, to check its login now."""
    event = {"type": CHECK_EVENT, "ended": fingerprint(ended_session_key)}
    async_to_sync(get_channel_layer().group_send)(person_group(user_id), event)


def _logged_out(sender, request, user, **kwargs):
    # The session is flushed after this signal: name it, so its sockets need not wait.
    if user is not None:
        check_sockets_of(user.pk, getattr(request.session, "session_key", None))


def _remember_login_fields(sender, instance, update_fields=None, **kwargs):
    if instance.pk is None or (update_fields and not {"password", "is_active"} & update_fields):
        return  # e.g. the last_login saved at every login
    before = sender._default_manager.filter(pk=instance.pk).values("password", "is_active").first()
    instance._login_fields_before = before


def _login_fields_saved(sender, instance, created, **kwargs):
    before = getattr(instance, "_login_fields_before", None)
    instance._login_fields_before = None
    if created or before is None:
        return
    if before != {"password": instance.password, "is_active": instance.is_active}:
        transaction.on_commit(lambda: check_sockets_of(instance.pk))


def _user_deleted(sender, instance, **kwargs):
    transaction.on_commit(lambda: check_sockets_of(instance.pk))


def connect_signals():
    """Called once from ChatConfig.ready."""
    user_model = get_user_model()
    user_logged_out.connect(_logged_out, dispatch_uid="chat.live.sessions.logout")
    pre_save.connect(_remember_login_fields, sender=user_model, dispatch_uid="chat.sessions.pre")
    post_save.connect(_login_fields_saved, sender=user_model, dispatch_uid="chat.sessions.post")
    post_delete.connect(_user_deleted, sender=user_model, dispatch_uid="chat.sessions.delete")
