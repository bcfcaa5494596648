"""The public site's URLs only: no admin."""

from django.urls import include, path

urlpatterns = [path("", include("catalogue.urls"))]
