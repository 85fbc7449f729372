"""The URL parameters of every page URL, taken from the fixture world (``world.build_world``)."""


def kwargs_for(name, route, world):
    """``{parameter: value}`` for the URL ``name`` (its ``route``)."""
    w = world
    by_prefix = [
        ("members:union_", {"pk": w["union"].pk}),
        ("members:user_", {"pk": w["user"].pk}),
        ("campaigns:", {"pk": w["campaign"].pk}),
        ("evaluations:rubrics", {"pk": w["campaign"].pk}),
        ("dashboards:", {"pk": w["campaign"].pk}),
        ("audit:unlock", {"pk": w["lockout"].pk}),
        ("projects:attachment-", {"pk": w["attachment"].pk}),
        ("projects:replication-detail", {"pk": w["plan"].pk}),
        ("projects:replicate", {"pk": w["closed"].pk}),
        ("projects:closing-report", {"pk": w["closed"].pk}),
        ("projects:progress-report", {"pk": w["entered"].pk}),
        ("projects:action", {"pk": w["draft"].pk, "action": "submit"}),
        ("projects:", {"pk": w["draft"].pk}),
        ("evaluations:payout-", {"pk": w["payout"].pk}),
        ("evaluations:awards", {"pk": w["done"].pk, "objection_pk": w["objection"].pk}),
        ("evaluations:public-results", {"pk": w["done"].pk}),
        ("evaluations:objection-file", {"pk": w["done"].pk}),
        ("evaluations:live-now", {"pk": w["live"].pk}),
        ("evaluations:card-reopen", {"pk": w["live"].pk, "card_pk": w["card"].pk}),
        ("evaluations:card", {"pk": w["card"].pk}),
        ("evaluations:attachment-download", {"pk": w["attachment"].pk}),
        ("exports:job", {"job_pk": w["export_job"].pk}),
        ("exports:", {"pk": w["done"].pk}),
        ("evaluations:", {"pk": w["live"].pk, "entry_pk": w["entry"].pk, "seat_pk": w["seat"].pk,
                          "group_pk": w["group"].pk, "recusal_pk": w["recusal"].pk, "card_pk": w["card"].pk,
                          "direction": "down"}),
    ]
    for prefix, values in by_prefix:
        if name.startswith(prefix):
            return values
    return {}


def query_for(name, world):
    """A query string some pages need (the project form is entered from a campaign)."""
    if name == "projects:create":
        return f"?campaign={world['campaign'].pk}"
    return ""
