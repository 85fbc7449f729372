"""A fixture world for the URL matrix and the XSS walk: one object of every kind a URL of the
site takes as a parameter, built through the factories and the services, with its text fields
set to ``text`` (the XSS walk passes a script payload; the matrix plain Chinese text).

Roles (``roles(world)``): the owning union is 澄江 (town under 江阴); its sibling is 宜兴 (the
other county branch); the county admin above is 江阴's, the one elsewhere 宜兴's; the juror on
the roadshow sits on the started roadshow (``live``), the one off it sits nowhere."""

import datetime
import uuid

from django.core.files.uploadedfile import SimpleUploadedFile

from evaluations import services as ev
from awards import services as award_services
from awards.enums import JobState
from exports.models import ExportJob
from awards.models import Payout
from evaluations.models import Scorecard
from projects import services as pj
from projects.enums import ProjectStatus
from projects.models import Project
from tests.factories import JurorFactory, ProjectFactory, ScoredRoadshowFactory, StaffFactory, UnionFactory

from .samples import POLYGLOT

ROLES = ["anonymous", "staff_owner", "staff_sibling", "county_admin_above", "county_admin_elsewhere",
         "juror_on", "juror_off", "admin"]


def roles(people, world):
    return {
        "anonymous": None,
        "staff_owner": world["staff_owner"],
        "staff_sibling": people["staff_b"],
        "county_admin_above": people["county_admin_a"],
        "county_admin_elsewhere": people["county_admin_b"],
        "juror_on": world["juror_on"],
        "juror_off": world["juror_off"],
        "admin": people["admin"],
    }


def build_world(people, tree, campaign, text="文本", short_text=None):
    """``short_text`` goes into the fields of at most 30 characters (the tier name)."""
    short_text = text if short_text is None else short_text
    admin = people["admin"]
    town = tree["town_a1"]
    tree["city"].name = f"市总{text}"
    tree["city"].save()
    town.name = f"澄江{text}"
    town.save()
    staff_owner = StaffFactory(username="sec_owner", name=f"申报员{text}", union=town)
    juror_on = JurorFactory(username="sec_juror_on", name=f"评委{text}")
    juror_on2 = JurorFactory(username="sec_juror_on2", name="评委二")
    juror_off = JurorFactory(username="sec_juror_off", name="场外评委")
    campaign.title = f"征集{text}"
    campaign.categories = [f"领域{text}"] if isinstance(campaign.categories, list) else campaign.categories
    campaign.save()

    def project(title, status=ProjectStatus.SHORTLISTED, union=town):
        return ProjectFactory(campaign=campaign, applicant_union=union, status=status, title=f"{title}{text}",
                              summary=f"摘要{text}", objectives=f"目标{text}", plan=f"计划{text}",
                              expected_outcomes=f"成效{text}", contact_name=f"联系人{text}",
                              contact_phone="13800000000")

    # A draft of the owning union (editable), with an attachment.
    draft = project("草稿项目", status=ProjectStatus.DRAFT)
    attachment = pj.add_attachment(actor=staff_owner, project=draft,
                                   uploaded=SimpleUploadedFile(f"附件{text}.png", POLYGLOT.split(b"<html>")[0]))

    # A started roadshow: the owning union's project, juror_on seated, a card, a group, a recusal.
    # (its attachment is filed while it is a draft, as an applicant would)
    entered = project("路演项目", status=ProjectStatus.DRAFT)
    entry_attachment = pj.add_attachment(actor=staff_owner, project=entered,
                                         uploaded=SimpleUploadedFile("方案.png", POLYGLOT.split(b"<html>")[0]))
    Project.objects.filter(pk=entered.pk).update(status=ProjectStatus.SHORTLISTED)
    entered.refresh_from_db()
    other = project("宜兴项目", union=tree["county_b"])
    live = ev.create_roadshow(actor=admin, campaign=campaign, title=f"路演{text}", date=datetime.date(2026, 6, 1),
                              venue=f"会场{text}")
    entry = ev.add_entry(actor=admin, roadshow=live, project=entered)
    other_entry = ev.add_entry(actor=admin, roadshow=live, project=other)
    group = ev.save_juror_group(actor=admin, roadshow=live, name=f"评委组{text}", weight="1")
    seat = ev.add_juror(actor=admin, roadshow=live, user=juror_on, group=group)
    seat2 = ev.add_juror(actor=admin, roadshow=live, user=juror_on2)
    recusal = ev.add_manual_recusal(actor=admin, seat=seat2, entry=other_entry, reason=f"回避{text}")
    ev.start_roadshow(actor=admin, roadshow=live)
    card = Scorecard.objects.get(entry=entry, juror=juror_on)
    ev.save_draft(actor=juror_on, card=card, comment=f"评语{text}")

    # A computed roadshow in 公示 with an objection answered, then finalised: payouts.
    awarded = project("获奖项目")
    done_show = ScoredRoadshowFactory(actor=admin, campaign=campaign, title=f"已公示路演{text}",
                                      date=datetime.date(2026, 6, 2), venue=f"会场{text}", projects=[awarded],
                                      jurors=[juror_on2], totals=[["90"]])
    done, done_entry = done_show.roadshow, done_show.entries[0]
    award_services.save_tiers(actor=admin, roadshow=done, tiers=[{"name": f"一等{short_text}", "quota_count": 1, "amount": "10000"}])
    job = award_services.request_compute(actor=admin, roadshow=done)
    award_services.run_job(job_id=job.pk)  # in process: the broker is not needed here
    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED, job.error
    done.refresh_from_db()
    award_services.publicize(actor=admin, roadshow=done, days=5)
    objection = award_services.file_objection(actor=staff_owner, roadshow=done, entry=done_entry, text=f"异议{text}")
    award_services.answer_objection(actor=admin, objection=objection, answer=f"答复{text}")
    award_services.finalize(actor=admin, roadshow=done)
    done.refresh_from_db()
    payout = Payout.objects.get(roadshow=done)
    export_job = ExportJob.objects.create(roadshow=done, kind="results", fmt="xlsx", task_id=str(uuid.uuid4()))

    # A closed project (with a closing report) adopted by the sibling union.
    closed = project("结项项目", status=ProjectStatus.APPROVED)
    pj.file_closing_report(actor=staff_owner, project=closed, report=f"结项报告{text}")
    pj.accept_closure(actor=admin, project=closed)
    closed.refresh_from_db()
    sibling_union = UnionFactory(name=f"宜兴镇{text}", short_name="宜兴镇", level="town", parent=tree["county_b"])
    plan = pj.create_replication_plan(actor=admin, source_project=closed, plan=f"推广计划{text}",
                                      adopting_union=sibling_union)

    from axes.models import AccessAttempt
    lockout = AccessAttempt.objects.create(username="locked_user", ip_address="198.51.100.1", failures_since_start=5,
                                           user_agent="x", get_data="", post_data="", http_accept="", path_info="/")
    return {
        "staff_owner": staff_owner, "juror_on": juror_on, "juror_off": juror_off, "campaign": campaign,
        "draft": draft, "entered": entered, "closed": closed, "attachment": attachment, "entry_attachment": entry_attachment, "live": live,
        "entry": entry, "seat": seat, "group": group, "recusal": recusal, "card": card, "done": done,
        "objection": objection, "payout": payout, "job": job, "export_job": export_job, "plan": plan, "lockout": lockout,
        "user": staff_owner, "union": town,
    }
