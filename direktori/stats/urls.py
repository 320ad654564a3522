from django.urls import path

from . import views

app_name = "stats"

urlpatterns = [
    path("statistik/", views.dashboard_page, name="dashboard"),
    path("statistik/muat-turun.csv", views.download_csv, name="download_csv"),
    path("statistik/muat-turun.xlsx", views.download_xlsx, name="download_xlsx"),
    path("akaun/statistik/import/", views.import_page, name="import"),
]
