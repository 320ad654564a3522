from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "direktori.training"
    verbose_name = _("Programme Pemerkasaan (training)")
