"""Managing accounts, under /akaun/pengguna/ in the `accounts` namespace (no namespace of its
own: the names start with `manage_`)."""

from django.urls import path

from . import manage_views

urlpatterns = [
    path("", manage_views.manage_list, name="manage_list"),
    path("baru/", manage_views.manage_invite, name="manage_invite"),
    path("jemput/", manage_views.manage_bulk_invite, name="manage_bulk_invite"),
    path("<int:pk>/", manage_views.manage_detail, name="manage_detail"),
    path("<int:pk>/aktif/", manage_views.manage_set_active, name="manage_set_active"),
    path("<int:pk>/buka-kunci/", manage_views.manage_unlock, name="manage_unlock"),
    path(
        "<int:pk>/faktor-kedua/",
        manage_views.manage_reset_second_factor,
        name="manage_reset_second_factor",
    ),
    path("<int:pk>/pautan/", manage_views.manage_password_link, name="manage_password_link"),
]
