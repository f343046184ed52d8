from django.db import connection
from django.http import HttpResponse, JsonResponse


def healthz(request):
    """Liveness: the process answers. Touches no database."""
    return HttpResponse("ok", content_type="text/plain")


def readyz(request):
    """Readiness: the database answers."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any database failure means "not ready"
        return JsonResponse({"status": "unavailable", "database": str(exc.__class__.__name__)}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
