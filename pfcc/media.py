"""Public media (post images) served by the application itself, so a plain gunicorn deployment
needs no extra web server. Private files (résumés) live outside MEDIA_ROOT and never come here."""

import errno

from django.conf import settings
from django.http import Http404
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe
from django.views.static import serve


@require_safe
def serve_media(request, path):
    try:
        response = serve(request, path, document_root=settings.MEDIA_ROOT, show_indexes=False)
    except OSError as error:
        # A name longer than the file system allows (or otherwise unusable) names no file.
        if error.errno in (errno.ENAMETOOLONG, errno.ENOTDIR, errno.ELOOP, errno.EINVAL):
            raise Http404 from None
        raise
    # Imported and uploaded files keep their names for as long as they exist: cache a day.
    patch_cache_control(response, public=True, max_age=86400)
    return response
