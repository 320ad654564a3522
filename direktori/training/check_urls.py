"""The public check of a certificate of attendance, under /latihan/ (no account needed)."""

from django.urls import path

from . import views

app_name = "certificates"

urlpatterns = [
    path("sijil/<str:number>/", views.certificate_check, name="check"),
]
