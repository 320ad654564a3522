import datetime
from collections.abc import Iterator
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from direktori.areas.models import Area
from direktori.directory.models import Location, Organization, Phone, Schedule, Service
from direktori.directory.models.organisations import Status

from .factories import (
    AddressFactory,
    LocationFactory,
    OrganizationFactory,
    PhoneFactory,
    ScheduleFactory,
    ServiceAreaFactory,
    ServiceFactory,
    reference_terms,
)


@pytest.fixture(autouse=True)
def _in_english() -> Iterator[None]:
    # The assertions read the English messages; pages and commands default to Malay.
    with translation.override("en"):
        yield


MONDAY = datetime.date(2026, 11, 23)
FRIDAY = MONDAY + datetime.timedelta(days=4)


def at(day: datetime.date, hhmm: str) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.fromisoformat(hhmm))


def schedule(**fields: object) -> Schedule:
    defaults: dict[str, object] = {
        "weekday": 1,
        "opens_at": datetime.time(9),
        "closes_at": datetime.time(17),
    }
    return Schedule(**(defaults | fields))


class TestScheduleIsOpenAt:
    def test_open_between_opening_and_closing_on_its_day(self) -> None:
        hours = schedule()
        assert hours.is_open_at(at(MONDAY, "09:00"))
        assert hours.is_open_at(at(MONDAY, "16:59"))
        assert not hours.is_open_at(at(MONDAY, "08:59"))
        assert not hours.is_open_at(at(MONDAY, "17:00"))
        assert not hours.is_open_at(at(MONDAY + datetime.timedelta(days=1), "10:00"))

    def test_all_day_is_open_at_any_time_of_its_day(self) -> None:
        hours = schedule(all_day=True, opens_at=None, closes_at=None)
        assert hours.is_open_at(at(MONDAY, "00:00"))
        assert hours.is_open_at(at(MONDAY, "23:59"))
        assert not hours.is_open_at(at(MONDAY - datetime.timedelta(days=1), "12:00"))

    def test_past_midnight_is_open_from_the_evening_on(self) -> None:
        hours = schedule(weekday=5, opens_at=datetime.time(20), closes_at=datetime.time(1))
        assert hours.is_open_at(at(FRIDAY, "20:00"))
        assert hours.is_open_at(at(FRIDAY, "23:59"))
        assert not hours.is_open_at(at(FRIDAY, "19:59"))
        assert not hours.is_open_at(at(FRIDAY, "00:30"))  # that is Thursday night's tail

    def test_past_midnight_is_still_open_early_the_next_day(self) -> None:
        hours = schedule(weekday=5, opens_at=datetime.time(20), closes_at=datetime.time(1))
        assert hours.is_open_at(at(FRIDAY + datetime.timedelta(days=1), "00:30"))

    def test_only_within_its_validity_dates(self) -> None:
        hours = schedule(valid_from=MONDAY, valid_to=MONDAY + datetime.timedelta(days=7))
        assert hours.is_open_at(at(MONDAY, "10:00"))
        assert hours.is_open_at(at(MONDAY + datetime.timedelta(days=7), "10:00"))
        assert not hours.is_open_at(at(MONDAY - datetime.timedelta(days=7), "10:00"))
        assert not hours.is_open_at(at(MONDAY + datetime.timedelta(days=14), "10:00"))

    def test_open_ended_validity(self) -> None:
        assert schedule(valid_from=MONDAY).is_open_at(
            at(MONDAY + datetime.timedelta(days=70), "10:00")
        )
        assert not schedule(valid_to=MONDAY - datetime.timedelta(days=1)).is_open_at(
            at(MONDAY, "10:00")
        )


@pytest.mark.django_db
class TestScheduleClean:
    def test_times_are_needed_unless_open_all_day(self) -> None:
        service = ServiceFactory.create()
        with pytest.raises(ValidationError):
            Schedule(service=service, weekday=1, opens_at=datetime.time(9)).full_clean()
        Schedule(service=service, weekday=1, all_day=True).full_clean()

    def test_hours_belong_to_a_service_or_a_location(self) -> None:
        with pytest.raises(ValidationError, match="must belong"):
            schedule().full_clean()

    def test_factory_makes_valid_hours(self) -> None:
        assert ScheduleFactory.create().is_open_at(at(MONDAY, "10:00"))


@pytest.mark.django_db
class TestPhoneClean:
    def test_the_number_is_normalised(self) -> None:
        phone = Phone(service=ServiceFactory.create(), kind=Phone.Kind.VOICE, number="03-8947 5555")
        phone.full_clean()
        assert phone.number == "+60389475555"
        assert phone.display == "03-8947 5555"
        assert phone.tel_uri == "tel:+60389475555"

    def test_a_short_code_stays_digits(self) -> None:
        phone = Phone(service=ServiceFactory.create(), kind=Phone.Kind.SHORT_CODE, number="15 999")
        phone.full_clean()
        assert phone.number == "15999"

    def test_a_bad_number_is_an_error_on_the_number(self) -> None:
        phone = Phone(service=ServiceFactory.create(), kind=Phone.Kind.VOICE, number="03-1234")
        with pytest.raises(ValidationError) as error:
            phone.full_clean()
        assert "not a valid Malaysian phone number" in error.value.message_dict["number"][0]

    def test_a_short_code_number_must_be_marked_as_one(self) -> None:
        phone = Phone(service=ServiceFactory.create(), kind=Phone.Kind.VOICE, number="15999")
        with pytest.raises(ValidationError) as error:
            phone.full_clean()
        assert "number" in error.value.message_dict

    def test_a_phone_must_belong_to_something(self) -> None:
        with pytest.raises(ValidationError, match="must belong to an organisation"):
            Phone(kind=Phone.Kind.CELL, number="019-261 5999").full_clean()

    def test_whatsapp_link(self) -> None:
        phone = PhoneFactory.create(kind=Phone.Kind.WHATSAPP, number="019-261 5999")
        assert phone.is_whatsapp
        assert phone.whatsapp_url == "https://wa.me/60192615999"


@pytest.mark.django_db
class TestPublicAndAreaQuerySets:
    def test_public_locations_never_include_a_confidential_one(self) -> None:
        office = LocationFactory.create()
        shelter = LocationFactory.create(
            is_confidential=True, confidential_reason="Rumah perlindungan"
        )
        public = set(Location.objects.public())
        assert office in public
        assert shelter not in public

    def test_public_phones_hide_confidential_numbers_and_those_of_confidential_places(self) -> None:
        shelter = LocationFactory.create(is_confidential=True)
        enquiries = PhoneFactory.create()
        direct_line = PhoneFactory.create(service=None, location=shelter)
        secret = PhoneFactory.create(is_confidential=True)
        public = set(Phone.objects.public())
        assert enquiries in public
        assert direct_line not in public
        assert secret not in public

    def test_in_area_is_the_area_and_below(self, reference_areas: None) -> None:
        cyberjaya = Area.objects.get(code="10_7:dengkil:cyberjaya")
        in_cyberjaya = LocationFactory.create(area=cyberjaya)
        in_kl = LocationFactory.create(area=Area.objects.get(code="14_1"))
        sepang = set(Location.objects.in_area(Area.objects.get(code="10_7")))
        assert in_cyberjaya in sepang
        assert in_kl not in sepang
        assert set(Location.objects.in_area(Area.objects.get(code="10_7:sepang"))) == set()

    def test_active_organisations_and_services(self) -> None:
        active = ServiceFactory.create()
        stopped = ServiceFactory.create(status=Status.INACTIVE)
        closed_down = ServiceFactory.create(
            organization=OrganizationFactory.create(status=Status.DEFUNCT)
        )
        assert set(Service.objects.active()) == {active}
        assert closed_down.organization not in set(Organization.objects.active())
        assert stopped.organization in set(Organization.objects.active())

    def test_services_in_an_area_include_those_serving_it_from_afar(
        self, reference_areas: None
    ) -> None:
        country = Area.objects.get(code="MY")
        dengkil = Area.objects.get(code="10_7:dengkil")
        local = ServiceFactory.create(organization=OrganizationFactory.create(area=dengkil))
        hotline = ServiceFactory.create(organization=OrganizationFactory.create(area=country))
        ServiceAreaFactory.create(service=hotline, area=country)
        elsewhere = ServiceFactory.create(
            organization=OrganizationFactory.create(area=Area.objects.get(code="14_1"))
        )
        visiting = ServiceFactory.create(
            organization=OrganizationFactory.create(area=Area.objects.get(code="14_1"))
        )
        ServiceAreaFactory.create(
            service=visiting, area=Area.objects.get(code="10_7:dengkil:cyberjaya")
        )

        in_dengkil = set(Service.objects.in_area(dengkil))

        assert in_dengkil == {local, hotline, visiting}
        assert elsewhere not in in_dengkil
        assert set(Organization.objects.in_area(dengkil)) == {local.organization}


@pytest.mark.django_db
def test_latitude_and_longitude_come_together() -> None:
    with pytest.raises(ValidationError):
        LocationFactory.create(latitude=Decimal("2.8"), longitude=None)


@pytest.mark.django_db
def test_factories_make_valid_linked_rows() -> None:
    terms = reference_terms()
    service = ServiceFactory.create(terms=[terms["children"], terms["health"]])
    phone = PhoneFactory.create(service=service)
    address = AddressFactory.create()
    assert set(Service.objects.for_term(terms["children"])) == {service}
    assert phone.number.startswith("+60102")
    assert phone in Phone.objects.public()
    assert address.location.organization is not None
    assert address.location.organization.area.code == "10_7"
