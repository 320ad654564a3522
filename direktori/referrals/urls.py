"""Referral pages, under /akaun/rujukan/."""

from django.urls import path

from . import views

app_name = "referrals"

urlpatterns = [
    path("", views.referral_list, name="list"),
    path("baru/", views.create, name="create"),
    path("lewat/", views.overdue, name="overdue"),
    path("<uuid:pk>/", views.detail, name="detail"),
    path("<uuid:pk>/dihantar/", views.sent, name="sent"),
    path("<uuid:pk>/tindakan/", views.act, name="act"),
    path("<uuid:pk>/ringkasan.pdf", views.printable_summary, name="summary_pdf"),
]
