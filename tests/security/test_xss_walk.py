"""The XSS walk: every text field a user can write (names, titles, proposals, reasons, comments,
objections, plans, tiers…) holds a script payload, then every page of the authorisation matrix
that a role may open (GET, 200 in ``EXPECTED``) is rendered for that role: the payload never
comes out as markup, and its escaped form does (the text is shown, escaped)."""

import html

import pytest

from .matrix_kwargs import kwargs_for, query_for
from .test_url_matrix import EXPECTED
from .urlwalk import fill, our_routes
from .world import ROLES, build_world, roles

PAYLOAD = '<script>alert("xss")</script><img src=x onerror=alert(1)>'
SHORT = "<img src=x onerror=alert(1)>"  # for the fields of 30 characters (the tier name)
ESCAPED = html.escape(PAYLOAD)  # what Django's autoescape writes: &lt;script&gt;alert(&quot;xss&quot;)…

# The fields of the world (``world.build_world`` writes "<label><payload>"), each expected to be
# shown escaped on at least one page.
SHOWN = ["市总", "澄江", "申报员", "征集", "草稿项目", "路演项目", "获奖项目", "结项项目", "摘要", "目标", "计划",
         "成效", "联系人", "路演", "会场", "评委组", "回避", "评语", "异议", "答复", "一等", "推广计划",
         "结项报告", "宜兴镇", "评委"]


@pytest.fixture
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.mark.parametrize("role", ROLES)
def test_no_page_renders_a_stored_payload_as_markup(client_for, people, tree, campaign, role, media_in_tmp):
    world = build_world(people, tree, campaign, text=PAYLOAD, short_text=SHORT)
    client = client_for(roles(people, world)[role])
    column = ROLES.index(role) + 1
    raw, rendered = [], 0
    for name, route in our_routes().items():
        method, *codes = EXPECTED[name]
        if method != "GET" or codes[column - 1] != 200:
            continue
        response = client.get(fill(route, kwargs_for(name, route, world)) + query_for(name, world))
        assert response.status_code == 200, name
        if "text/html" not in response.get("Content-Type", "") or getattr(response, "streaming", False):
            continue
        page = response.content.decode()
        rendered += 1
        if '<script>alert("xss")' in page or "<img src=x onerror=alert" in page:
            raw.append(name)
    assert rendered >= (1 if role == "anonymous" else 5)
    assert not raw, f"pages rendering the payload unescaped as {role}: {raw}"


def test_every_stored_text_field_is_shown_escaped_somewhere(client_for, people, tree, campaign, media_in_tmp):
    world = build_world(people, tree, campaign, text=PAYLOAD, short_text=SHORT)
    pages = []
    for role, user in roles(people, world).items():
        client = client_for(user)
        column = ROLES.index(role)
        for name, route in our_routes().items():
            method, *codes = EXPECTED[name]
            if method == "GET" and codes[column] == 200:
                response = client.get(fill(route, kwargs_for(name, route, world)) + query_for(name, world))
                if "text/html" in response.get("Content-Type", "") and not getattr(response, "streaming", False):
                    pages.append(response.content.decode())
    # The pages of the other projects (the matrix opens the draft's).
    for key in ("entered", "closed"):
        for user in (people["admin"], world["staff_owner"]):
            response = client_for(user).get(f"/projects/{world[key].pk}/")
            assert response.status_code == 200
            pages.append(response.content.decode())
    text = "\n".join(pages)
    # The attachment's file name is cleaned (no < > " / and no leading text) before it is kept
    # as its label: nothing of the markup is left to escape.
    assert "script__img src=x onerror=alert(1)_.png" in text
    assert ESCAPED in text
    unseen = [label for label in SHOWN if html.escape(label + PAYLOAD) not in text]
    if html.escape("一等" + SHORT) in text:
        unseen.remove("一等")
    assert not unseen, f"fields never shown (escaped) on any page: {unseen}"
