"""The load balancer's health probe: ``GET /healthz`` answers without login.

200 ``{"status": "ok", "database": "ok"}`` once the database answered ``SELECT 1``; 503
``{"status": "error", "database": "unavailable"}`` when it did not, so the balancer stops sending users to this server.
The body never names the error: the probe is public.
"""

import logging

from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)


@never_cache
@require_GET
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("Health check: the database did not answer")
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
