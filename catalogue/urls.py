from django.urls import path

from . import views

app_name = "catalogue"

urlpatterns = [
    path("", views.home, name="home"),
    path("editions/<int:pk>/", views.edition_detail, name="edition"),
    path("items/<int:pk>/", views.item_detail, name="item"),
]
