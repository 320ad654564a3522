from django.urls import path

from . import views

app_name = "directory"

urlpatterns = [
    path("", views.home, name="home"),
    path("cari/", views.search, name="search"),
    path("kawasan/", views.area_index, name="area_index"),
    path("kawasan/<path:slugs>/", views.area_detail, name="area_detail"),
    path("kumpulan/", views.target_group_index, name="target_group_index"),
    path("kumpulan/<slug:code>/", views.target_group_detail, name="target_group_detail"),
    path("organisasi/<uuid:pk>/", views.organization_detail, name="organization_detail"),
    path("perkhidmatan/<uuid:pk>/", views.service_detail, name="service_detail"),
]
