"""The OpenAPI schema tells the truth about errors (API.md, "Conventions/Errors").

Every view names the error codes particular to it (``extend_schema(responses={403: …, 409: …})``);
this schema class adds the ones that follow from the shape of the operation, and gives every
error response its body, so that a client generated from /api/schema/ (and Schemathesis in
tests/security/test_schemathesis.py) knows each answer it can get:

- ``401`` wherever a sign-in is required;
- ``403`` on every write that needs a sign-in (every write asks the rules first);
- ``404`` wherever the path names an object, and on a paginated list (a page past the end);
- ``400`` wherever a request body or a query filter can be refused.

Bodies: ``400`` ``{"field": ["message"], …}`` or ``{"detail": "…"}``; ``409`` ``{"detail", "state"}``;
the others ``{"detail": "…"}``.
"""

from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from rest_framework import permissions, serializers

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
# Query parameters that never make a request invalid: the paginator reads them leniently.
LENIENT_QUERY = {"page", "page_size"}


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="what went wrong, in the user's language")


class ConflictSerializer(ErrorSerializer):
    state = serializers.CharField(help_text="the current state of the object that forbids the action")


class ValidationErrorSerializer(serializers.Serializer):
    """The body of a ``400`` (its schema comes from ``ValidationErrorExtension``)."""


class ValidationErrorExtension(OpenApiSerializerExtension):
    target_class = ValidationErrorSerializer

    def get_name(self, auto_schema, direction):
        return "ValidationError"

    def map_serializer(self, auto_schema, direction):
        return {
            "type": "object",
            "description": 'Invalid input: {"field": ["message", …], …} (nested for nested fields and '
                           'lists) or {"detail": "message"}.',
            "additionalProperties": {"anyOf": [
                {"type": "string"}, {"type": "array"}, {"type": "object"},
            ]},
        }


ERROR_BODIES = {
    "400": ValidationErrorSerializer,
    "401": ErrorSerializer,
    "403": ErrorSerializer,
    "404": ErrorSerializer,
    "409": ConflictSerializer,
    "410": ErrorSerializer,
    "429": ErrorSerializer,
}
IMPLIED_DESCRIPTIONS = {
    "400": "invalid input",
    "401": "not signed in",
    "403": "not allowed",
    "404": "not found or not visible",
}


class AutoSchema(SpectacularAutoSchema):
    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        responses = operation.setdefault("responses", {})
        for code in self._implied_errors(operation):
            responses.setdefault(code, {"description": IMPLIED_DESCRIPTIONS[code]})
        for code, response in responses.items():
            if code in ERROR_BODIES and "content" not in response:
                body = self._get_response_for_code(ERROR_BODIES[code], code, direction="response")
                response["content"] = body["content"]
        operation["responses"] = dict(sorted(responses.items()))
        return operation

    def _implied_errors(self, operation):
        parameters = operation.get("parameters", [])
        signed_in = self._requires_sign_in()
        if signed_in:
            yield "401"
            if self.method not in SAFE_METHODS:
                yield "403"
        if any(p["in"] == "path" for p in parameters) or any(p["name"] == "page" for p in parameters):
            yield "404"
        query = {p["name"] for p in parameters if p["in"] == "query"} - LENIENT_QUERY
        if "requestBody" in operation or query:
            yield "400"

    def _requires_sign_in(self):
        return not all(isinstance(p, permissions.AllowAny) for p in self.view.get_permissions())
