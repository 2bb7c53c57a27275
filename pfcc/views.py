from django.db import DatabaseError, connection
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .models import Person
from .sections import home_sections, person_sections


def home(request):
    return render(request, "pfcc/home.html", {"sections": home_sections.render_list(request)})


def person_detail(request, github):
    person = Person.objects.by_login(github).first()
    if person is None:
        raise Http404
    sections = person_sections.render_list(person, request)
    return render(request, "pfcc/person_detail.html", {"person": person, "sections": sections})


@require_GET
@never_cache
def healthz(request):
    """200 when the database answers a query, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")
