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


# --- the schema tells the truth about errors (found by tests/security/test_schemathesis.py) ------

ERROR_SCHEMAS = {"400": "ValidationError", "409": "Conflict"}


def _operations(client):
    schema = yaml.safe_load(client.get("/api/schema/").content)
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            if method in ("get", "post", "put", "patch", "delete"):
                yield path, method, operation


def test_every_error_response_has_its_json_body(client):
    for path, method, operation in _operations(client):
        for code, response in operation["responses"].items():
            if code >= "400":
                ref = response["content"]["application/json"]["schema"]["$ref"]
                assert ref == f"#/components/schemas/{ERROR_SCHEMAS.get(code, 'Error')}", (method, path, code)


def test_implied_errors_are_declared(client):
    """401 wherever a sign-in is needed, 404 wherever the path names an object or a page can
    be past the end, 400 wherever a body or a filter can be refused, 403 on every write."""
    for path, method, operation in _operations(client):
        codes = set(operation["responses"])
        parameters = operation.get("parameters", [])
        label = (method, path)
        if path != "/api/v1/auth/token/":
            assert "401" in codes, label
            if method != "get":
                assert "403" in codes, label
        if "{" in path or any(p["name"] == "page" for p in parameters):
            assert "404" in codes, label
        filters = {p["name"] for p in parameters if p["in"] == "query"} - {"page", "page_size"}
        if "requestBody" in operation or filters:
            assert "400" in codes, label


def test_reads_refused_to_non_admins_declare_403(client):
    paths = {(m, p): op for p, m, op in _operations(client)}
    reads = ["/api/v1/users/", "/api/v1/users/{id}/", "/api/v1/progress-reports/overdue/"]
    for key in [("get", path) for path in reads]:
        assert "403" in paths[key]["responses"], key


def test_files_are_declared_in_the_content_types_they_are_served_in(client):
    paths = {(m, p): op for p, m, op in _operations(client)}
    export = paths[("get", "/api/v1/roadshows/{roadshow_pk}/export/")]["responses"]["200"]["content"]
    assert set(export) == {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "text/csv",
                           "application/pdf"}
    download = paths[("get", "/api/v1/exports/{task_id}/download/")]["responses"]["200"]["content"]
    assert set(download) == set(export)
    attachment = paths[("get", "/api/v1/attachments/{id}/download/")]["responses"]["200"]["content"]
    assert {"application/pdf", "image/png", "image/jpeg", "video/mp4", "application/octet-stream"} <= set(attachment)


def test_a_users_juror_kind_may_be_blank(client):
    schema = yaml.safe_load(client.get("/api/schema/").content)
    juror_kind = schema["components"]["schemas"]["User"]["properties"]["juror_kind"]
    assert {"$ref": "#/components/schemas/BlankEnum"} in juror_kind["oneOf"]
