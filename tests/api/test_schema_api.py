"""The OpenAPI schema answers and is valid, without generator warnings."""

import pytest
import yaml
from django.core.management import call_command

pytestmark = pytest.mark.django_db

PATHS = [
    "/api/v1/auth/token/", "/api/v1/me/", "/api/v1/unions/", "/api/v1/unions/{id}/", "/api/v1/users/",
    "/api/v1/users/{id}/", "/api/v1/campaigns/", "/api/v1/campaigns/{id}/", "/api/v1/projects/",
    "/api/v1/projects/{id}/", "/api/v1/projects/{id}/history/", "/api/v1/projects/{id}/attachments/",
    "/api/v1/attachments/{id}/download/",
    *[f"/api/v1/projects/{{id}}/{a}/" for a in ("submit", "recommend", "return", "approve", "reject", "shortlist")],
]


def test_schema_endpoint_answers_with_every_path_of_the_contract(client):
    response = client.get("/api/schema/")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    assert set(PATHS) <= set(schema["paths"])
    assert "patch" in schema["paths"]["/api/v1/projects/{id}/"]
    assert "put" not in schema["paths"]["/api/v1/projects/{id}/"]
    listing = schema["paths"]["/api/v1/projects/"]["get"]
    assert {p["name"] for p in listing["parameters"]} >= {
        "campaign", "status", "applicant_union", "category", "search", "page", "page_size"}
    assert "multipart/form-data" in schema["paths"]["/api/v1/projects/{id}/attachments/"]["post"]["requestBody"][
        "content"]


def test_schema_validates_without_warnings(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml"))
    assert (tmp_path / "schema.yml").stat().st_size > 0
