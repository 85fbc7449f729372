"""Roadshow scoring API (API.md, "Evaluations"), one module per resource. Thin: what a roadshow or a card is visible to
comes from ``evaluations.queries`` (not visible → 404), every write is one call to
``evaluations.services``; their errors become 403/409/400 in ``unionproj.api.exception_handler``.
Who may do what is asked of the rules *before* the body is looked at, so a juror calling an
admin endpoint gets 403 whatever they send."""
