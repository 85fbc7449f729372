"""factory_boy factories, one per role, shared by every test module."""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from members.enums import UnionLevel
from members.models import Union, User
from projects.enums import ProjectStatus
from projects.models import Campaign, Project

PASSWORD = "Test-pass-2026!"


class UnionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Union

    name = factory.Sequence(lambda n: f"测试工会{n}")
    short_name = factory.Sequence(lambda n: f"工会{n}")
    level = UnionLevel.GRASSROOTS
    parent = None


class MunicipalUnionFactory(UnionFactory):
    name = factory.Sequence(lambda n: f"测试市总工会{n}")
    level = UnionLevel.MUNICIPAL


class CountyUnionFactory(UnionFactory):
    name = factory.Sequence(lambda n: f"测试区总工会{n}")
    level = UnionLevel.COUNTY
    parent = factory.SubFactory(MunicipalUnionFactory)


class TownUnionFactory(UnionFactory):
    name = factory.Sequence(lambda n: f"测试镇总工会{n}")
    level = UnionLevel.TOWN
    parent = factory.SubFactory(CountyUnionFactory)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    name = factory.Sequence(lambda n: f"用户{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class StaffFactory(UserFactory):
    is_staff_role = True
    union = factory.SubFactory(CountyUnionFactory)


class CountyAdminFactory(UserFactory):
    is_county_admin_role = True
    union = factory.SubFactory(CountyUnionFactory)


class AdminFactory(UserFactory):
    is_admin_role = True
    union = factory.SubFactory(MunicipalUnionFactory)


class JurorFactory(UserFactory):
    is_juror_role = True
    juror_kind = "expert"
    union = None


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign

    year = 2026
    title = factory.Sequence(lambda n: f"2026年度工会创新工作项目{n}")
    owner_union = factory.SubFactory(MunicipalUnionFactory)
    filing_opens = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))
    filing_deadline = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=30))
    budget = Decimal("1000000.00")


class ProjectFactory(factory.django.DjangoModelFactory):
    """A project in any state, written directly: for tests that need a starting state. Tests of
    the workflow itself go through ``projects.services``."""

    class Meta:
        model = Project

    campaign = factory.SubFactory(CampaignFactory)
    applicant_union = factory.SubFactory(CountyUnionFactory, parent=factory.SelfAttribute("..campaign.owner_union"))
    title = factory.Sequence(lambda n: f"职工创新项目{n}")
    category = "职工帮扶服务"
    summary = "项目简介：为职工提供服务。"
    budget_requested = Decimal("50000.00")
    status = ProjectStatus.DRAFT
