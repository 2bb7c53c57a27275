"""`POST /webhooks/github/`: GitHub's signed deliveries. Checks, then hands over to
`hackathon.github.receive_delivery`, which records the delivery once and applies it.

Answers: 200 with a JSON summary (processed, or already received), 204 for events the portal
does not handle, 400 for a malformed request, 403 for a missing or wrong signature (or no
secret configured), 405 for anything but POST, 413 for a body over `MAX_BODY_BYTES`, 415 for a
content type other than JSON. The messages are for GitHub's delivery log, in English.
"""

import hashlib
import hmac
import json
import logging
import re

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .github import HANDLED_EVENTS, receive_delivery

logger = logging.getLogger(__name__)

MAX_BODY_BYTES = 1024 * 1024  # GitHub's pull_request payloads are ~25 KB
DELIVERY_ID_RE = re.compile(r"^[A-Za-z0-9-]{1,100}$")
EVENT_RE = re.compile(r"^[a-z_]{1,50}$")


def signature_for(secret: str, body: bytes) -> str:
    """The `X-Hub-Signature-256` value GitHub sends for this body."""
    digest = hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def signature_matches(secret: str, body: bytes, header: str | None) -> bool:
    if not header:
        return False
    expected = signature_for(secret, body).encode("ascii")
    return hmac.compare_digest(expected, header.strip().encode("utf-8", "replace"))


def _refuse(status: int, message: str) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


@csrf_exempt
@require_POST
def github_webhook(request):
    secret = settings.GITHUB_WEBHOOK_SECRET
    if not secret:
        logger.warning("GitHub webhook refused: GITHUB_WEBHOOK_SECRET is not set.")
        return _refuse(403, "The webhook secret is not configured on this site.")
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return _refuse(400, "Bad Content-Length.")
    if length > MAX_BODY_BYTES:
        return _refuse(413, f"The body is over {MAX_BODY_BYTES} bytes.")
    try:
        body = request.body
    except RequestDataTooBig:
        return _refuse(413, f"The body is over {MAX_BODY_BYTES} bytes.")
    if len(body) > MAX_BODY_BYTES:
        return _refuse(413, f"The body is over {MAX_BODY_BYTES} bytes.")
    if not signature_matches(secret, body, request.headers.get("X-Hub-Signature-256")):
        logger.warning(
            "GitHub webhook refused: %s X-Hub-Signature-256 (delivery %r).",
            "wrong" if request.headers.get("X-Hub-Signature-256") else "missing",
            request.headers.get("X-GitHub-Delivery", "")[:100],
        )
        return _refuse(403, "Missing or wrong X-Hub-Signature-256.")
    content_type = request.content_type or ""
    if content_type != "application/json":
        return _refuse(415, "Set the webhook's content type to application/json.")
    event = request.headers.get("X-GitHub-Event", "")
    if not EVENT_RE.match(event):
        return _refuse(400, "Missing or malformed X-GitHub-Event.")
    delivery_id = request.headers.get("X-GitHub-Delivery", "")
    if not DELIVERY_ID_RE.match(delivery_id):
        return _refuse(400, "Missing or malformed X-GitHub-Delivery.")
    try:
        payload = json.loads(body)
    except (UnicodeDecodeError, ValueError, RecursionError):
        return _refuse(400, "The body is not valid JSON.")
    if not isinstance(payload, dict):
        return _refuse(400, "The body is not a JSON object.")
    delivery, processed = receive_delivery(delivery_id, event, payload)
    if event not in HANDLED_EVENTS:
        return HttpResponse(status=204)
    return JsonResponse(
        {
            "delivery": delivery.delivery_id,
            "status": delivery.state,
            "duplicate": not processed,
            "result": delivery.result,
        }
    )
