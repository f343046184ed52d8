"""The REST API at ``/api/v1/``: one NinjaAPI with a router per part of the domain.

Reads are open to everyone and show what the portal shows; writes need a personal API token and go
through the same services and policies as the back office. The OpenAPI description is at
``/api/v1/openapi.json`` and the interactive documentation at ``/api/v1/docs`` (Swagger UI, served
from this site's static files, no CDN).
"""

import functools

from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI
from ninja.openapi.docs import Swagger

from .base import AnonymousRateLimit, install_error_handlers
from .consultations import router as consultations
from .council import router as council
from .evaluations import router as evaluations
from .forum import router as forum
from .indicators import router as indicators
from .municipalities import router as municipalities
from .plans import elements_router as elements
from .plans import router as plans
from .projects import router as projects
from .publicity import router as publicity
from .reports import router as reports
from .surveys import router as surveys
from .writes import router as writes

# Swagger UI draws with inline styles and data: images; its page alone gets a policy that allows
# them (scripts stay this site's own).
DOCS_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; "
    "form-action 'self'"
)


def _docs_policy(view):
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["Content-Security-Policy"] = DOCS_POLICY
        return response

    return wrapped


api = NinjaAPI(
    title="Civitas API",
    version="1",
    description=str(
        _(
            "Open data of the municipalities on this Civitas installation: plans, projects, "
            "indicators, consultations, surveys, decisions and more. Reads need no account; writes "
            "need a personal API token (Authorization: Bearer <token>)."
        )
    ),
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs=Swagger(settings={"persistAuthorization": False}),
    docs_url="/docs",
    docs_decorator=_docs_policy,
    throttle=[AnonymousRateLimit()],
)
install_error_handlers(api)

api.add_router("/municipalities", municipalities, tags=["municipalities"])
api.add_router("/consultations", consultations, tags=["consultations"])
api.add_router("/surveys", surveys, tags=["surveys"])
api.add_router("/forum/topics", forum, tags=["forum"])
api.add_router("/decisions", council, tags=["council decisions"])
api.add_router("/publicity", publicity, tags=["publicity"])
api.add_router("/evaluations", evaluations, tags=["evaluations"])
api.add_router("/reports", reports, tags=["annual reports"])
api.add_router("/plans", plans, tags=["plans"])
api.add_router("/elements", elements, tags=["plans"])
api.add_router("/projects", projects, tags=["projects"])
api.add_router("/indicators", indicators, tags=["indicators"])
api.add_router("", writes, tags=["writes"])
