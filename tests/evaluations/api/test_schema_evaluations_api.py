"""The evaluations endpoints of API.md are in the OpenAPI schema, with their enums named."""

import pytest
import yaml

pytestmark = pytest.mark.django_db

PATHS = [
    "/api/v1/roadshows/", "/api/v1/roadshows/{id}/", "/api/v1/roadshows/{id}/start/", "/api/v1/roadshows/{id}/close/",
    "/api/v1/roadshows/{id}/progress/", "/api/v1/roadshows/{id}/live/", "/api/v1/roadshows/{id}/scoreboard/",
    "/api/v1/roadshows/{id}/scoring-results/", "/api/v1/roadshows/{roadshow_pk}/entries/",
    "/api/v1/roadshows/{roadshow_pk}/entries/reorder/", "/api/v1/roadshows/{roadshow_pk}/entries/{id}/",
    "/api/v1/roadshows/{roadshow_pk}/entries/{id}/open/", "/api/v1/roadshows/{roadshow_pk}/entries/{id}/close/",
    "/api/v1/roadshows/{roadshow_pk}/jurors/", "/api/v1/roadshows/{roadshow_pk}/groups/",
    "/api/v1/roadshows/{roadshow_pk}/recusals/", "/api/v1/roadshows/{roadshow_pk}/recusals/{id}/",
    "/api/v1/scorecards/", "/api/v1/scorecards/{id}/", "/api/v1/scorecards/{id}/submit/",
    "/api/v1/scorecards/{id}/reopen/",
]


def test_every_evaluations_path_is_in_the_schema(client):
    schema = yaml.safe_load(client.get("/api/schema/").content)
    assert set(PATHS) <= set(schema["paths"])
    assert "put" in schema["paths"]["/api/v1/scorecards/{id}/"]
    assert "delete" in schema["paths"]["/api/v1/roadshows/{roadshow_pk}/entries/{id}/"]
    components = schema["components"]["schemas"]
    assert components["RoadshowStatusEnum"]["enum"] == ["setup", "scoring", "closed", "publicity", "finalized"]
    assert components["CardStatusEnum"]["enum"] == ["draft", "submitted"]
    assert components["AggregationEnum"]["enum"] == ["mean", "trimmed_mean", "zscore"]
