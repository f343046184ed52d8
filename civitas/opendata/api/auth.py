"""Personal API tokens on the API's writes: ``Authorization: Bearer <token>``.

The token names its holder, who becomes ``request.auth`` and the actor of the services the write
calls; what they may do is decided there, by the same policies as in the back office, with the
roles they hold at that moment. A missing, unknown, revoked or expired token, or one whose account
is closed, is a 401 (JSON, as every error of the API). Reads take no token. Bearer tokens are not
sent by browsers on their own, so token writes need no CSRF protection (django-ninja checks CSRF
only for cookie authentication).
"""

from django.http import HttpRequest
from ninja.security import HttpBearer

from civitas.accounts import services as account_services


class ApiTokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        return account_services.api_token_user(secret=token.strip())


token_auth = ApiTokenAuth()
