from __future__ import annotations

from django import forms
from django.utils.choices import CallableChoiceIterator
from django.utils.translation import gettext_lazy as _

from direktori.areas.models import Area
from direktori.search.query import DEFAULT_RADIUS_KM, MAX_RADIUS_KM, SearchQuery

from .models import TaxonomyTerm

# The radii offered in the "near me" list; a shared link may carry another valid one.
RADII_KM = (2, 5, 10, 25, 50, 100)
AREA_KINDS = (Area.Kind.STATE, Area.Kind.DISTRICT, Area.Kind.MUKIM)


def area_choices() -> list[tuple[str, object]]:
    """States in alphabetical order as option groups: the whole state, then each district followed
    by its mukims."""
    below: dict[int, list[Area]] = {}
    for area in Area.objects.filter(kind__in=AREA_KINDS[1:]).order_by("name_ms"):
        below.setdefault(area.parent_id or 0, []).append(area)
    choices: list[tuple[str, object]] = [("", _("All of Malaysia"))]
    for state in Area.objects.states().order_by("name_ms"):
        options = [(state.code, _("All of %(state)s") % {"state": state.name})]
        for district in below.get(state.pk, []):
            options.append((district.code, district.name))
            options += [
                (mukim.code, f"{district.name} › {mukim.name}")
                for mukim in below.get(district.pk, [])
            ]
        choices.append((state.name, options))
    return choices


def _km(value: float) -> str:
    return f"{value:g}"


class SearchForm(forms.Form):
    """What `/cari/` asks for, as GET parameters; `to_query()` turns it into the engine's query."""

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
        error_messages={"invalid_choice": _("Choose a target group from the list.")},
        widget=forms.Select(attrs={"class": "auto-submit"}),
    )
    kategori = forms.ModelChoiceField(
        label=_("Category"),
        queryset=TaxonomyTerm.objects.categories(),
        to_field_name="code",
        required=False,
        empty_label=_("All categories"),
        error_messages={"invalid_choice": _("Choose a category from the list.")},
        widget=forms.Select(attrs={"class": "auto-submit"}),
    )
    # A CharField with the options of a ChoiceField: clean_kawasan() looks the code up once.
    kawasan = forms.CharField(
        label=_("Area"),
        required=False,
        widget=forms.Select(
            choices=CallableChoiceIterator(area_choices), attrs={"class": "auto-submit"}
        ),
    )
    tepat = forms.BooleanField(required=False, widget=forms.HiddenInput)  # no typo correction
    buka = forms.BooleanField(
        label=_("Open now"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "auto-submit"}),
    )
    lat = forms.FloatField(
        label=_("Latitude"),
        required=False,
        min_value=-90,
        max_value=90,
        widget=forms.HiddenInput,
        error_messages={
            key: _("The latitude must be a number from -90 to 90.")
            for key in ("invalid", "min_value", "max_value")
        },
    )
    lon = forms.FloatField(
        label=_("Longitude"),
        required=False,
        min_value=-180,
        max_value=180,
        widget=forms.HiddenInput,
        error_messages={
            key: _("The longitude must be a number from -180 to 180.")
            for key in ("invalid", "min_value", "max_value")
        },
    )
    jarak = forms.FloatField(
        label=_("Distance"),
        required=False,
        min_value=1,
        max_value=MAX_RADIUS_KM,
        initial=_km(DEFAULT_RADIUS_KM),
    )
    # Not shown in the form: the pages' links carry it. Lenient like Paginator.get_page().
    page = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        radii = [_km(km) for km in RADII_KM]
        asked = self.data.get("jarak", "") if self.is_bound else ""
        if asked and asked not in radii and self._is_radius(asked):
            radii = sorted([*radii, asked], key=float)
        jarak = self.fields["jarak"]
        jarak.widget = forms.Select(
            choices=[(km, _("%(km)s km") % {"km": km}) for km in radii],
            attrs={"class": "auto-submit"},
        )
        message = _("The distance must be from 1 to %(max)s km.") % {"max": _km(MAX_RADIUS_KM)}
        jarak.error_messages.update(dict.fromkeys(("invalid", "min_value", "max_value"), message))
        if not self.is_located:
            # Not sent until search.js fills in a place: shorter links, nothing to ignore.
            for name in ("lat", "lon", "jarak"):
                self.fields[name].widget.attrs["disabled"] = True

    @property
    def is_located(self) -> bool:
        """A place came with the request (it may still be invalid)."""
        return self.is_bound and bool(self.data.get("lat")) and bool(self.data.get("lon"))

    @staticmethod
    def _is_radius(value: str) -> bool:
        try:
            return 1 <= float(value) <= MAX_RADIUS_KM
        except ValueError:
            return False

    def clean_kawasan(self) -> Area | None:
        code = self.cleaned_data.get("kawasan")
        if not code:
            return None
        area = Area.objects.filter(code=code, kind__in=AREA_KINDS).first()
        if area is None:
            raise forms.ValidationError(_("Choose an area from the list."))
        return area

    def clean_page(self) -> int:
        value = self.cleaned_data.get("page") or ""
        return int(value) if value.isdigit() and int(value) > 0 else 1

    def clean(self) -> dict:
        data = super().clean() or {}
        data["q"] = " ".join((data.get("q") or "").split())
        has_lat = bool(self.data.get("lat")) if self.is_bound else False
        has_lon = bool(self.data.get("lon")) if self.is_bound else False
        if has_lat != has_lon:
            raise forms.ValidationError(
                _("Latitude and longitude go together: give both or neither."),
                code="incomplete_location",
            )
        return data

    @property
    def near(self) -> tuple[float, float] | None:
        data = self.cleaned_data
        if data.get("lat") is None or data.get("lon") is None:
            return None
        return (data["lat"], data["lon"])

    def to_query(self) -> SearchQuery:
        """Only for a valid form."""
        data = self.cleaned_data
        near = self.near
        return SearchQuery(
            text=data["q"],
            target_group=data["kumpulan"].code if data.get("kumpulan") else "",
            term_id=data["kategori"].pk if data.get("kategori") else None,
            area=data.get("kawasan"),
            open_now=bool(data.get("buka")),
            near=near,
            radius_km=(data.get("jarak") or DEFAULT_RADIUS_KM) if near else None,
            exact=bool(data.get("tepat")),
        )
