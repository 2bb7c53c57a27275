"""A page for an area whose issue has not landed yet, so navigation never leads to a 404."""

from django.shortcuts import render


def coming_soon(request, title=""):
    return render(request, "pfcc/coming_soon.html", {"title": title})
