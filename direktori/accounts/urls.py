from django.urls import include, path

from . import views

app_name = "accounts"

urlpatterns = [
    path("", views.home, name="home"),
    path("masuk/", views.sign_in, name="sign_in"),
    path("keluar/", views.sign_out, name="sign_out"),
    path("keluar-semua/", views.sign_out_everywhere, name="sign_out_everywhere"),
    path("pengesahan/", views.verify, name="verify"),
    path("pengesah/", views.enrol, name="enrol"),
    path("kod-sandaran/", views.backup_codes, name="backup_codes"),
    path("kata-laluan/", views.change_password, name="change_password"),
    path("tetapkan/<uidb64>/<token>/", views.set_password, name="set_password"),
    path("pengguna/", include("direktori.accounts.manage_urls")),
]
