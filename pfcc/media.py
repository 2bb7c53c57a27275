"""Public media (post images) served by the application itself, so a plain gunicorn deployment
needs no extra web server. Private files (résumés) live outside MEDIA_ROOT and never come here."""

from django.conf import settings
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe
from django.views.static import serve


@require_safe
def serve_media(request, path):
    response = serve(request, path, document_root=settings.MEDIA_ROOT, show_indexes=False)
    # Imported and uploaded files keep their names for as long as they exist: cache a day.
    patch_cache_control(response, public=True, max_age=86400)
    return response
