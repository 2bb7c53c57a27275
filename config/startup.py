from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def require_secret_key() -> None:
    """The server must not start without a secret key (settings allow it for commands that sign
    nothing, such as migrations). Called before the application is set up."""
    try:
        key = settings.SECRET_KEY  # Django itself refuses an empty one when it is read
    except ImproperlyConfigured:
        key = ""
    if not key:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is not 1.")
