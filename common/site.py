"""The site's public address (SITE_URL), for links that leave a request: e-mails, feeds,
exports, GitHub replies. Pages use `request.build_absolute_uri` only where the request's own host
matters (OpenGraph tags)."""

from django.conf import settings


def absolute_url(path_or_object) -> str:
    """`/blog/x/` or an object with get_absolute_url() → `https://pfcc.example.org/blog/x/`."""
    path = path_or_object
    if hasattr(path_or_object, "get_absolute_url"):
        path = path_or_object.get_absolute_url()
    path = str(path)
    if path.startswith(("http://", "https://")):
        return path
    return f"{settings.SITE_URL}/{path.lstrip('/')}"
