"""The URL parameters of every page URL, taken from the fixture world (``world.build_world``)."""


def kwargs_for(name, route, world):
    """``{parameter: value}`` for the URL ``name`` (its ``route``)."""
    w = world
    by_prefix = [
        ("members:union_", {"pk": w["union"].pk}),
        ("members:user_", {"pk": w["user"].pk}),
        ("password_reset_code", {"code": "not-a-reset-code"}),
        ("campaigns:", {"pk": w["campaign"].pk}),
        ("evaluations:rubrics", {"pk": w["campaign"].pk}),
        ("dashboards:", {"pk": w["campaign"].pk}),
        ("audit:unlock", {"pk": w["lockout"].pk}),
        # The upload route takes the project; the others take the attachment.
        ("projects:attachment-upload", {"pk": w["draft"].pk}),
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
        ("evaluations:attachment-download", {"pk": w["entry_attachment"].pk}),
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


def api_kwargs_for(name, world):
    """The URL parameters of the API URL ``name``: the live roadshow's objects, the awards
    steps on the finalised roadshow, the project steps on the draft."""
    w = world
    done = ("compute", "finalize", "jobs-latest", "preview", "publicize", "reopen", "results", "scoring-results",
            "tiers", "objections", "export")
    if name.startswith("api-roadshow"):
        roadshow = w["done"] if name.endswith(done) else w["live"]
        pk = {"api-roadshow-entry": w["entry"].pk, "api-roadshow-entry-open": w["entry"].pk,
              "api-roadshow-entry-close": w["entry"].pk, "api-roadshow-group": w["group"].pk,
              "api-roadshow-recusal": w["recusal"].pk}.get(name, roadshow.pk)
        return {"pk": pk, "roadshow_pk": roadshow.pk, "user_pk": w["juror_on"].pk}
    by_prefix = [
        ("api-union", w["union"].pk), ("api-user", w["user"].pk), ("api-attachment", w["attachment"].pk),
        ("api-campaign-rubrics", None), ("api-campaign", w["campaign"].pk), ("api-project", w["draft"].pk),
        ("api-replication-plan", w["plan"].pk), ("api-scorecard", w["card"].pk), ("api-objection", w["objection"].pk),
        ("api-payout", w["payout"].pk),
    ]
    values = {"campaign_pk": w["campaign"].pk, "task_id": w["job"].task_id}
    if name.startswith("api-export"):
        values["task_id"] = w["export_job"].task_id
    for prefix, pk in by_prefix:
        if name.startswith(prefix):
            if pk is not None:
                values["pk"] = pk
            break
    return values
