from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("privasi/", views.privacy, name="privacy"),
]
