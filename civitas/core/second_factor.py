"""Whether a web session has passed the second factor, which every staff role and superuser needs.

``permissions.roles_of`` counts a person's roles only in a session that passed it, and
``permissions.require`` then raises ``SecondFactorRequired``, which ``SecondFactorMiddleware``
turns into a redirect to the code step: one check for the back office, moderation, drafts,
private files and the admin. Code outside web requests (commands, tasks) has no session and is
not asked.
"""

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from .models import Membership

SESSION_KEY = "civitas_second_factor"  # the primary key of the user who passed it in this session
CODE_STEP = "accounts:second_factor"
_ATTRIBUTE = "civitas_second_factor_passed"


class SecondFactorRequired(PermissionDenied):
    """The person holds the role the action needs, but this session has not passed the second factor."""


def needs_second_factor(user) -> bool:
    """Superusers and everyone with a staff role in any municipality (one query)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return user.is_superuser or Membership.objects.filter(user=user).exists()


def passed(user) -> bool:
    """False only for a user of a web request whose session has not passed the second factor."""
    return getattr(user, _ATTRIBUTE, True)


def mark_passed(request, user) -> None:
    """Record in the session (after ``login``, which may flush it) that ``user`` passed it."""
    request.session[SESSION_KEY] = user.pk
    setattr(user, _ATTRIBUTE, True)


def _annotated(request, lazy_user):
    authenticated = lazy_user.is_authenticated  # resolves the lazy user AuthenticationMiddleware set
    user = getattr(lazy_user, "_wrapped", lazy_user)
    if authenticated:
        setattr(user, _ATTRIBUTE, request.session.get(SESSION_KEY) == user.pk)
    return user


class SecondFactorMiddleware:
    """Marks the request's user with whether this session passed the second factor (no query),
    and sends a person refused for the lack of it to the code step instead of a 403."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        request.user = SimpleLazyObject(lambda: _annotated(request, user))
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, SecondFactorRequired):
            return redirect_to_login(request.get_full_path(), reverse(CODE_STEP))
        return None
