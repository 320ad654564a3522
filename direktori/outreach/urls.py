from django.urls import path

from . import views

app_name = "outreach"

urlpatterns = [
    path("", views.activity_list, name="list"),
    path("baru/", views.activity_create, name="create"),
    path("<uuid:pk>/ubah/", views.activity_edit, name="edit"),
    path("<uuid:pk>/padam/", views.activity_delete, name="delete"),
    path("ringkasan/", views.activity_summary_page, name="summary"),
    path("ringkasan/muat-turun/", views.activity_summary_csv, name="summary_csv"),
]
