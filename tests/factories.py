"""factory_boy factories for the portal's models; personas in conftest.py build on them."""

import datetime

import factory
from django.utils import timezone

from innovasi.accounts.enums import OpdKind, RegionKind, Role
from innovasi.accounts.models import Opd, Region, User
from innovasi.standards.enums import CycleState
from innovasi.standards.models import Catalogue, Cycle


def days_from_today(days):
    return timezone.localdate() + datetime.timedelta(days=days)


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ["code"]

    name = factory.Sequence(lambda n: f"Kabupaten Contoh {n}")
    kind = RegionKind.KABUPATEN
    code = factory.Sequence(lambda n: f"99.{n:02d}")


class OpdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Opd

    region = factory.SubFactory(RegionFactory)
    name = factory.Sequence(lambda n: f"Dinas Contoh {n}")
    short_name = factory.Sequence(lambda n: f"Dinas{n}")
    kind = OpdKind.DINAS


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    region = factory.SubFactory(RegionFactory)
    role = Role.OPERATOR
    opd = factory.LazyAttribute(
        lambda user: OpdFactory(region=user.region) if user.role == Role.OPERATOR else None
    )
    # No password by default: most tests log in with force_login, which needs no (slow) Argon2 hash.
    password = factory.PostGeneration(
        lambda user, create, extracted, **kwargs: (
            (user.set_password(extracted), user.save()) if extracted else None
        )
    )


class CycleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cycle

    region = factory.SubFactory(RegionFactory)
    catalogue = factory.LazyFunction(lambda: Catalogue.objects.get(code="iid-2026"))
    name = factory.LazyAttribute(lambda cycle: f"IID {cycle.catalogue.year} — {cycle.region.name}")
    # In pengisian today, whatever day the tests run: its deadlines are enforced.
    opens_on = factory.LazyFunction(lambda: days_from_today(-60))
    filing_closes_on = factory.LazyFunction(lambda: days_from_today(30))
    verification_closes_on = factory.LazyFunction(lambda: days_from_today(60))
    revision_closes_on = factory.LazyFunction(lambda: days_from_today(90))
    final_on = factory.LazyFunction(lambda: days_from_today(120))
    state = CycleState.OPEN


def innovation_create(cycle, opd, user=None, name="Inovasi Uji", **profile):
    """A draft made by the service (so it has one empty claim per SID indicator), with ``profile`` set."""
    from submissions import services
    from submissions.models import Innovation

    user = user or UserFactory(region=opd.region, role=Role.OPERATOR, opd=opd)
    innovation = services.innovation_create(cycle=cycle, opd=opd, user=user, name=name)
    if profile:
        Innovation.objects.filter(pk=innovation.pk).update(**profile)
        innovation.refresh_from_db()
    return innovation
