"""Django routes of the integration's admin pages: a view named remove_territories is no API call."""

from django.urls import path

from . import views

urlpatterns = [
    path("leads/<int:pk>/remove_territories/", views.remove_territories, name="remove_territories"),
]
