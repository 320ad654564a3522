from django.contrib import admin

from .models import Synonym


@admin.register(Synonym)
class SynonymAdmin(admin.ModelAdmin):
    list_display = ("phrases", "note", "is_active", "updated_at")
    list_filter = ("is_active",)
    search_fields = ("phrases", "note")
