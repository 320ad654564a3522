"""The Programme Pemerkasaan, under /akaun/latihan/."""

from django.urls import path

from . import views

app_name = "training"

urlpatterns = [
    path("", views.session_list, name="list"),
    path("baru/", views.session_create, name="create"),
    path("<uuid:pk>/", views.session_detail, name="detail"),
    path("<uuid:pk>/ubah/", views.session_edit, name="edit"),
    path("<uuid:pk>/kehadiran/", views.attendance, name="attendance"),
    path("saya/", views.my_record, name="me"),
    path("rekod/<uuid:pk>/", views.person_record, name="person"),
    path("keperluan/", views.needs, name="needs"),
    path("keperluan/muat-turun/", views.needs_csv, name="needs_csv"),
    path("sijil/<str:number>.pdf", views.certificate, name="certificate"),
]
