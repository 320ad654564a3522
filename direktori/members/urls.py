"""The membership register, under /akaun/ (included before the accounts' URLs)."""

from django.urls import path

from . import views

app_name = "members"

urlpatterns = [
    path("cbo/<uuid:pk>/ahli/", views.cbo_members, name="cbo_members"),
    path("cbo/<uuid:pk>/ahli/lantik/", views.appoint, name="appoint"),
    path("ahli/<uuid:pk>/lantik-semula/", views.reappoint, name="reappoint"),
    path("ahli/<uuid:pk>/pindah/", views.move, name="move"),
    path("ahli/<uuid:pk>/tamat/", views.end, name="end"),
    path("ahli/perhatian/", views.attention, name="attention"),
    path("ahli/saya/", views.my_membership, name="me"),
    path("ahli/import/", views.import_members, name="import"),
]
