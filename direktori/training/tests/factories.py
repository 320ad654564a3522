from __future__ import annotations

import datetime

import factory

from direktori.areas.models import Area
from direktori.directory.tests.factories import CleanModelFactory
from direktori.training.models import Organiser, Topic, TrainingSession


class TopicFactory(CleanModelFactory[Topic]):
    class Meta:
        model = Topic

    code = factory.Sequence(lambda n: f"topik-{n}")
    name_ms = factory.Sequence(lambda n: f"Topik ujian {n}")
    name_en = factory.Sequence(lambda n: f"Test topic {n}")
    required = False


class TrainingSessionFactory(CleanModelFactory[TrainingSession]):
    class Meta:
        model = TrainingSession
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Sesi latihan ujian {n}")
    starts_on = datetime.date(2026, 8, 15)
    place = "Dewan Orang Ramai Dengkil"
    district = factory.LazyFunction(lambda: Area.objects.get(code="10_7"))
    trainer = "Pegawai JKM Daerah Sepang"
    organiser = Organiser.JKM

    @factory.post_generation
    def topics(self, create: bool, extracted: list[Topic] | None, **kwargs: object) -> None:
        if create and extracted:
            self.topics.set(extracted)
