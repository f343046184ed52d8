"""Uploaded files, each served only to those who may see it.

Project documents and photos and municipalities' logos are public. Evidence of indicator values,
attachments of consultation proposals, draft documents and forum photos are public only while
what they belong to is public (a published value, a visible proposal, an open consultation, a
visible post); before that, or once hidden, only the municipality's staff who handle them get
them. Each app says which of its files a person may see; this view asks them in turn. A file that
may not be seen answers 404, like one that does not exist.

In production, put the web server in front of this view for speed (e.g. X-Accel-Redirect) rather
than serving MEDIA_ROOT directly, which would skip these checks.
"""

from django.conf import settings
from django.http import Http404
from django.views.static import serve

from civitas.consultations.selectors import file_visible as consultation_file_visible
from civitas.forum.selectors import photo_visible
from civitas.indicators.selectors import evidence_visible

CHECKS = (evidence_visible, consultation_file_visible, photo_visible)


def media(request, path: str):
    name = path.lstrip("/")
    if ".." in name.split("/"):
        raise Http404("No such file")
    for check in CHECKS:
        allowed = check(request.user, name)
        if allowed is None:
            continue
        if not allowed:
            raise Http404("No such file")
        break
    response = serve(request, name, document_root=settings.MEDIA_ROOT)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store" if allowed is not None else "public, max-age=3600"
    return response
