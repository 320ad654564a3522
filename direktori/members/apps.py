from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "direktori.members"
    verbose_name = _("CBO members")
