from django.urls import path

from . import views

app_name = "audit"

urlpatterns = [
    path("", views.audit_log, name="log"),
    path("muat-turun/", views.audit_export, name="export"),
    path("akses-kecemasan/", views.break_glass, name="break_glass"),
    path("akses-kecemasan/<int:pk>/tamat/", views.break_glass_end, name="break_glass_end"),
]
