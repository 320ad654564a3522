from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from direktori.areas.models import Area

from .models import Service, TaxonomyTerm
from .models.organisations import ServiceQuerySet


def area_choices() -> list[tuple[str, object]]:
    """States in alphabetical order, each followed by its districts, as option groups."""
    districts: dict[int, list[tuple[str, str]]] = {}
    for district in Area.objects.districts().order_by("name_ms"):
        districts.setdefault(district.parent_id or 0, []).append((district.code, district.name))
    choices: list[tuple[str, object]] = [("", _("All of Malaysia"))]
    for state in Area.objects.states().order_by("name_ms"):
        whole = _("All of %(state)s") % {"state": state.name}
        choices.append((state.name, [(state.code, whole), *districts.get(state.pk, [])]))
    return choices


class SearchForm(forms.Form):
    """The simple name and description search; the real engine replaces `results` later."""

    q = forms.CharField(
        label=_("What help do you need?"),
        max_length=200,
        required=False,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "placeholder": _("For example: welfare office, clinic, elderly"),
            }
        ),
    )
    kumpulan = forms.ModelChoiceField(
        label=_("Target group"),
        queryset=TaxonomyTerm.objects.target_groups(),
        to_field_name="code",
        required=False,
        empty_label=_("All target groups"),
    )
    kawasan = forms.ChoiceField(label=_("Area"), required=False)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["kawasan"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = area_choices()

    def clean_kawasan(self) -> Area | None:
        code = self.cleaned_data.get("kawasan")
        return Area.objects.filter(code=code).first() if code else None

    def clean(self) -> dict:
        data = super().clean() or {}
        data["q"] = " ".join((data.get("q") or "").split())
        return data

    def results(self) -> ServiceQuerySet:
        data = self.cleaned_data
        services = Service.objects.active()
        if data["q"]:
            services = services.matching(data["q"])
        if data.get("kumpulan"):
            services = services.for_term(data["kumpulan"])
        if data.get("kawasan"):
            return services.in_area(data["kawasan"]).local_first(data["kawasan"])
        return services.order_by("name", "id")
