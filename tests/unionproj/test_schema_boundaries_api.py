"""Boundary values in every field the OpenAPI schema names, generated from the schema (docs/
SECURITY.md, "Issue 21 item 6"): Schemathesis (tests/security/test_schemathesis.py) draws from
what the schema allows; this test sends what it does not, class by class, to every operation:

- every integer (body property, nested ones included, and query parameter): 2^31, 2^63, 10^30,
  and as text full-width ``１２`` and ``²``;
- every decimal string: ``１２``, ``٣`` and ``-0``;
- every text: a NUL and bidirectional controls;
- every path parameter that is text (the export jobs' task ids): a NUL.

Each request runs on the fixture world of ``tests/security/world.py`` as the admin, with the
other required properties of its body filled with plain values (ids of the world's objects where
the property names one), in a rolled-back savepoint. The answer must be below 500.
"""

import json
import re

import pytest
from django.db import transaction
from drf_spectacular.generators import SchemaGenerator

from tests.security.world import build_world

pytestmark = pytest.mark.django_db

BAD_INTEGERS = [2**31, 2**63, 10**30, "１２", "²"]
BAD_DECIMALS = ["１２", "٣", "-0"]
BAD_TEXTS = ["a\x00b", "\u202e名称\u2066"]


def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def resolve(spec, node):
    while "$ref" in node:
        node = spec["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]]
    return node


def bad_values(node):
    if node.get("type") == "integer":
        return BAD_INTEGERS
    if node.get("type") == "string" and node.get("format") == "decimal":
        return BAD_DECIMALS
    if node.get("type") == "string" and not node.get("format") and "enum" not in node:
        return BAD_TEXTS
    return []


def plain_value(name, node, ids):
    """A value a valid request could carry, for the required properties around the one tried."""
    if name in ids:
        return ids[name]
    if "enum" in node:
        return node["enum"][0]
    kind, fmt = node.get("type"), node.get("format")
    if kind == "integer":
        return 1
    if kind == "boolean":
        return False
    if kind == "array":
        return []
    if fmt == "date":
        return "2027-01-01"
    if fmt == "decimal":
        return "1"
    return "文本"


def mutations(spec, node, ids, depth=0):
    """``(where, body)`` pairs: the object ``node`` with one leaf at a time set to a bad value and
    its other required properties plain (arrays of objects hold one such object)."""
    node = resolve(spec, node)
    properties = {k: resolve(spec, v) for k, v in node.get("properties", {}).items() if not v.get("readOnly")}
    base = {k: plain_value(k, v, ids) for k, v in properties.items() if k in node.get("required", [])}
    for name, prop in properties.items():
        for value in bad_values(prop):
            yield name, {**base, name: value}
        items = resolve(spec, prop.get("items", {})) if prop.get("type") == "array" else {}
        if items.get("properties") and depth < 2:
            for where, inner in mutations(spec, items, ids, depth + 1):
                yield f"{name}.{where}", {**base, name: [inner]}


def path_with(path, world_ids, text_value=None):
    def one(match):
        name = match.group(1)
        if name in ("task_id",):
            return text_value if text_value is not None else world_ids["task_id"]
        return str(world_ids.get(name, world_ids["pk"]))
    return re.sub(r"\{(\w+)\}", one, path)


def test_bad_values_in_every_field_of_the_schema_are_never_a_500(api_as, people, tree, campaign, settings,
                                                                 tmp_path):
    settings.MEDIA_ROOT = tmp_path
    world = build_world(people, tree, campaign)
    spec = schema()
    ids = {"campaign": campaign.pk, "project": world["entered"].pk, "entry": world["entry"].pk,
           "user": world["juror_off"].pk, "union": tree["town_a1"].pk, "parent": tree["city"].pk,
           "owner_union": tree["city"].pk, "source_project": world["closed"].pk,
           "adopting_union": tree["county_b"].pk, "seat": world["seat"].pk, "group": world["group"].pk}
    path_ids = {"pk": world["live"].pk, "id": world["live"].pk, "roadshow_pk": world["live"].pk,
                "campaign_pk": campaign.pk, "user_pk": world["juror_on"].pk, "task_id": world["job"].task_id}
    client = api_as(people["admin"])
    wrong, tried = [], set()

    def send(method, url, body=None, query=None):
        with transaction.atomic():
            if body is None:
                response = getattr(client, method)(url, query or {}, format="json")
            else:
                response = getattr(client, method)(url, json.dumps(body), content_type="application/json")
            transaction.set_rollback(True)
        if response.status_code >= 500:
            wrong.append(f"{method.upper()} {url} {query or body!r}: {response.status_code}")
        return response

    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            url = path_with(path, path_ids)
            for parameter in operation.get("parameters", []):
                node = resolve(spec, parameter.get("schema", {}))
                if parameter["in"] == "query" and method == "get":
                    for value in bad_values(node):
                        send(method, url, query={parameter["name"]: value})
                        tried.add(("query", node.get("type")))
                elif parameter["in"] == "path" and node.get("type") == "string":
                    send(method, path_with(path, path_ids, text_value="%00"), body={} if method != "get" else None)
                    tried.add(("path", "string"))
            content = operation.get("requestBody", {}).get("content", {}).get("application/json")
            if content and method in ("post", "put", "patch"):
                for where, body in mutations(spec, content["schema"], ids):
                    send(method, url, body=body)
                    tried.add((path, where))
    assert not wrong, "\n".join(wrong)
    # the classes of the report are among those generated
    assert ("/api/v1/roadshows/", "tiers.quota_count") in tried
    assert ("/api/v1/roadshows/{id}/tiers/", "tiers.quota_count") in tried
    assert ("/api/v1/roadshows/", "title") in tried
    assert ("path", "string") in tried
