"""Default names (tiers, criteria, categories, the jury panel) show in the user's language;
names a federation entered itself stay as entered (issue 20 item 3, issue 22 item 8)."""

import pytest
from django.conf import settings
from django.template import Context, Template
from django.utils import translation

from evaluations import enums
from awards import enums as award_enums
from unionproj.labels import label


def render(text, **context):
    return Template(text).render(Context(context))


@pytest.mark.parametrize("name, english", [
    ("特优", "Outstanding"), ("一等", "First prize"), ("三等", "Third prize"), ("组织管理", "Organisation"),
    ("可复制性", "Replicability"), ("思想政治引领", "Political guidance"), ("工会自身建设", "Union building"),
    ("评审组", "Jury panel"), ("默认评分标准", "Default rubric"),
])
def test_a_default_name_is_translated_in_english_and_kept_in_chinese(name, english):
    with translation.override("en"):
        assert label(name) == english
        assert render("{{ v|label }}", v=name) == english
    with translation.override("zh-hans"):
        assert label(name) == name


def test_every_default_name_has_an_english_translation():
    names = [*(n for n, *_r in award_enums.DEFAULT_TIERS), *(n for n, *_r in enums.DEFAULT_CRITERIA),
             enums.DEFAULT_GROUP_NAME, enums.DEFAULT_RUBRIC_NAME, *settings.DEFAULT_CATEGORIES]
    with translation.override("en"):
        untranslated = [n for n in names if label(n) == n]
    assert not untranslated


def test_a_name_entered_by_a_federation_stays_as_entered():
    with translation.override("en"):
        # 首页 has an English translation, but it is no default name: never replaced.
        assert label("一等奖") == "一等奖" and label("首页") == "首页" and label(None) == ""
        assert render("{{ v|label }}", v="<b>x</b>") == "&lt;b&gt;x&lt;/b&gt;"


def test_the_english_project_page_shows_the_category_translated(client, people, campaign, tree):
    from tests.factories import ProjectFactory

    project = ProjectFactory(campaign=campaign, applicant_union=tree["county_a"], category="职工帮扶服务")
    client.force_login(people["staff_a"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(f"/projects/{project.pk}/").content.decode()
    assert "Worker assistance" in page and "职工帮扶服务" not in page
