from django.urls import path

from . import views

app_name = "verification"

urlpatterns = [
    path("pengesahan-entri/", views.queue, name="queue"),
    path("pengesahan-entri/<str:kind>/<uuid:pk>/sah/", views.verify, name="verify"),
    path("pengesahan-entri/cadangan/", views.proposals, name="proposals"),
    path("pengesahan-entri/cadangan/<int:pk>/terima/", views.accept, name="accept"),
    path("pengesahan-entri/cadangan/<int:pk>/tolak/", views.reject, name="reject"),
    path("cadangan/", views.propose, name="propose"),
    path("kesegaran/", views.freshness, name="freshness"),
]
