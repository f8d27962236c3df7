"""Access matrix: every URL of ``registry/urls.py`` asked by every persona, with the class of answer each one gets.

Read ``EXPECTED`` as the portal's access policy: one row per URL name, one column per persona. The objects behind
the URLs all belong to the Sở Y tế branch (Chi bộ Phòng Nghiệp vụ Y), so the outsider (Sở Tài chính) must get a 404
on every one of them, and the anonymous visitor is sent to the login page everywhere but the public pages.
"""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from registry import proposals
from registry import urls as registry_urls
from registry.models import (
    Attachment,
    Criterion,
    Document,
    Field,
    FormText,
    KhoiProposal,
    Level,
    Meeting,
    Registration,
    Status,
    StatusChange,
    Unit,
    Year,
)
from registry.models.jobs import JobStatus, PrintJob
from tests.factories import RegistrationFactory
from tests.papers import issue_registration_form
from tests.test_meetings import make_meeting

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64

PERSONAS = [
    "anonymous",
    "secretary",
    "approver",
    "chi_bo_approver",
    "appraiser",
    "viewer",
    "khoi_approver",
    "outsider",
]

# Answer classes: "ok" 200, "login" redirect to the login page, "redirect" any other redirect (a refusal or a
# chooser sending the user on), "forbidden" 403, "missing" 404, "method" 405 (a POST-only URL asked by GET).
OK, LOGIN, REDIRECT, FORBIDDEN, MISSING, METHOD = "ok", "login", "redirect", "forbidden", "missing", "method"


LOGIN_URL = reverse("login")


def classify(response) -> str:
    code = response.status_code
    if code in (301, 302):
        return LOGIN if response["Location"].startswith(LOGIN_URL + "?next=") else REDIRECT
    return {200: OK, 403: FORBIDDEN, 404: MISSING, 405: METHOD}.get(code, str(code))


def attach(reg, name: str, content: bytes, content_type: str) -> Attachment:
    return Attachment.objects.create(
        registration=reg, file=SimpleUploadedFile(name, content), original_name=name, content_type=content_type,
        size=len(content),
    )  # fmt: skip


@pytest.fixture
def world(
    unit_tree, year, secretary, approver, chi_bo_approver, appraiser, viewer, khoi_approver, outsider, member
) -> dict:
    """One object of every kind a URL can point at, all in the Sở Y tế branch, and the personas by name."""
    chi_bo, dang_bo = unit_tree["SYT-CB-NVY"], unit_tree["SYT-DB"]
    active = RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.ACTIVE, title="Mô hình đang chạy")
    attachment = attach(active, "minh-chung.pdf", PDF, "application/pdf")
    document = issue_registration_form(active, secretary)
    meeting = make_meeting(approver, dang_bo, year, entries=[(active, 6, 0)])
    exemplar = RegistrationFactory(
        subject_unit=chi_bo, year=year, status=Status.EXEMPLAR_BASE, title="Điển hình công khai", is_public=True
    )
    photo = attach(exemplar, "anh.png", PNG, "image/png")
    proposal = proposals.proposal_create(actor=approver, unit=dang_bo, year=year, registrations=[exemplar])
    proposed = RegistrationFactory(
        subject_unit=chi_bo, year=year, status=Status.PROPOSED_KHOI, level=Level.KHOI, title="Đề nghị lên Khối"
    )
    job = PrintJob.objects.create(user=secretary, unit=chi_bo, year=year, status=JobStatus.DONE)
    job.file.save("in-hang-loat.zip", ContentFile(b"PK\x05\x06" + b"\x00" * 18))
    return {
        "users": {
            "anonymous": None, "secretary": secretary, "approver": approver, "chi_bo_approver": chi_bo_approver,
            "appraiser": appraiser, "viewer": viewer, "khoi_approver": khoi_approver, "outsider": outsider,
        },
        "active": active, "attachment": attachment, "document": document, "meeting": meeting,
        "exemplar": exemplar, "photo": photo, "proposal": proposal, "proposed": proposed, "job": job,
        "year": year, "chi_bo": chi_bo, "dang_bo": dang_bo,
    }  # fmt: skip


def _pk(key):
    return lambda w: [w[key].pk]


# URL name -> the arguments that point it at the world's object (no entry: the URL takes none).
ARGS = {
    "registration-create": lambda w: ["mau-1"],
    "registration-detail": _pk("active"),
    "registration-update": _pk("active"),
    "registration-transition": lambda w: [w["active"].pk, "submit"],
    "attachment-upload": _pk("active"),
    "attachment-download": _pk("attachment"),
    "attachment-delete": _pk("attachment"),
    "registration-pdf": _pk("active"),
    "document-pdf": _pk("document"),
    "document-issue": lambda w: ["mau_1"],
    "document-draft": lambda w: ["mau_1"],
    "document-docx": _pk("document"),
    "document-draft-docx": lambda w: ["mau_1"],
    "document-draft-job": lambda w: ["mau_1"],
    "review-edit": lambda w: [w["active"].pk, w["year"].year],
    "owner-report-edit": lambda w: [w["active"].pk, "mau-5"],
    "owner-report-pdf": lambda w: [w["active"].pk, "mau-5"],
    "meeting-detail": _pk("meeting"),
    "meeting-record": _pk("meeting"),
    "meeting-minutes-pdf": _pk("meeting"),
    "meeting-decision-pdf": _pk("meeting"),
    "proposal-detail": _pk("proposal"),
    "proposal-send": _pk("proposal"),
    "proposal-pdf": _pk("proposal"),
    "appraisal-score": _pk("proposed"),
    "appraisal-finish": _pk("proposed"),
    "document-verify": lambda w: [w["document"].verification_code],
    "showcase-detail": _pk("exemplar"),
    "showcase-photo": lambda w: [w["exemplar"].pk, w["photo"].pk],
    "document-scan-upload": _pk("document"),
    "document-signed-upload": _pk("document"),
    "registration-publish": _pk("exemplar"),
    "print-job-detail": _pk("job"),
    "print-job-status": _pk("job"),
    "print-job-download": _pk("job"),
}


def _unit_query(w) -> str:
    return f"?don_vi={w['dang_bo'].pk}&nam={w['year'].year}"


# URL name -> a query string that points a unit-level page at the Sở Y tế branch (the outsider's 404 is then a
# scope check, not a default to their own unit).
QUERY = {
    name: _unit_query
    for name in (
        "mau3", "mau3-pdf", "mau3-xlsx", "review-unit", "review-pdf", "review-xlsx", "dashboard", "periodic-report",
        "periodic-report-pdf", "periodic-report-xlsx",
    )
}  # fmt: skip
QUERY["document-issue"] = QUERY["document-draft"] = QUERY["document-draft-docx"] = QUERY["document-draft-job"] = (
    lambda w: f"?mo_hinh={w['active'].pk}"
)
QUERY["meeting-create"] = lambda w: f"?unit={w['dang_bo'].pk}&purpose=confirm_model&year={w['year'].year}"
QUERY["proposal-create"] = lambda w: f"?unit={w['dang_bo'].pk}&year={w['year'].year}"


def url_of(name: str, world: dict) -> str:
    args = ARGS[name](world) if name in ARGS else []
    return reverse(f"registry:{name}", args=args) + (QUERY[name](world) if name in QUERY else "")


def answers(client, name: str, world: dict, personas=PERSONAS) -> dict[str, str]:
    url = url_of(name, world)
    result = {}
    for persona in personas:
        client.logout()
        user = world["users"][persona]
        if user is not None:
            client.force_login(user)
        result[persona] = classify(client.get(url))
    return result


def url_names() -> list[str]:
    return sorted(pattern.name for pattern in registry_urls.urlpatterns)


# URL name -> the answer class of each persona, in the order of PERSONAS:
#   anonymous, secretary, approver, chi_bo_approver, appraiser, viewer, khoi_approver, outsider
EXPECTED: dict[str, tuple[str, ...]] = {
    "appraisal-finish": (LOGIN, METHOD, METHOD, METHOD, METHOD, METHOD, METHOD, METHOD),
    "appraisal-list": (LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, REDIRECT, REDIRECT, FORBIDDEN),
    "appraisal-report-pdf": (LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, REDIRECT, FORBIDDEN, FORBIDDEN, FORBIDDEN),
    "appraisal-score": (LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN, MISSING),
    "attachment-delete": (LOGIN, METHOD, METHOD, METHOD, METHOD, METHOD, METHOD, METHOD),
    "attachment-download": (LOGIN, OK, OK, OK, OK, OK, OK, MISSING),
    "attachment-upload": (LOGIN, METHOD, METHOD, METHOD, METHOD, METHOD, METHOD, METHOD),
    "dashboard": (LOGIN, MISSING, OK, MISSING, OK, OK, OK, MISSING),
    "document-docx": (LOGIN, OK, OK, OK, OK, OK, OK, MISSING),
    "document-draft": (LOGIN, OK, OK, OK, OK, OK, OK, MISSING),
    "document-draft-docx": (LOGIN, OK, OK, OK, OK, OK, OK, MISSING),
    "document-draft-job": (LOGIN, METHOD, METHOD, METHOD, METHOD, METHOD, METHOD, METHOD),
    "document-issue": (LOGIN, OK, OK, OK, OK, OK, OK, MISSING),
    "document-pdf": (LOGIN, OK, OK, OK, OK, OK, OK, MISSING),
    "document-scan-upload": (LOGIN, METHOD, METHOD, METHOD, METHOD, METHOD, METHOD, METHOD),
    "document-signed-upload": (LOGIN, METHOD, METHOD, METHOD, METHOD, METHOD, METHOD, METHOD),
    "document-verify": (OK, OK, OK, OK, OK, OK, OK, OK),
    "home": (LOGIN, OK, OK, OK, OK, OK, OK, OK),
    "mau3": (LOGIN, MISSING, OK, MISSING, OK, OK, OK, MISSING),
    "mau3-pdf": (LOGIN, MISSING, REDIRECT, MISSING, REDIRECT, REDIRECT, REDIRECT, MISSING),
    "mau3-xlsx": (LOGIN, MISSING, OK, MISSING, OK, OK, OK, MISSING),
    "meeting-create": (LOGIN, FORBIDDEN, OK, OK, FORBIDDEN, FORBIDDEN, OK, OK),
    "meeting-decision-pdf": (LOGIN, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, MISSING),
    "meeting-detail": (LOGIN, OK, OK, OK, OK, OK, OK, MISSING),
    "meeting-list": (LOGIN, OK, OK, OK, OK, OK, OK, OK),
    "meeting-minutes-pdf": (LOGIN, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, MISSING),
    "meeting-record": (LOGIN, METHOD, METHOD, METHOD, METHOD, METHOD, METHOD, METHOD),
    "notification-settings": (LOGIN, OK, OK, OK, OK, OK, OK, OK),
    "owner-report-edit": (LOGIN, OK, OK, OK, OK, OK, OK, MISSING),
    "owner-report-pdf": (LOGIN, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, MISSING),
    "periodic-report": (LOGIN, MISSING, OK, MISSING, OK, OK, OK, MISSING),
    "periodic-report-pdf": (LOGIN, MISSING, REDIRECT, MISSING, REDIRECT, REDIRECT, REDIRECT, MISSING),
    "periodic-report-xlsx": (LOGIN, MISSING, OK, MISSING, OK, OK, OK, MISSING),
    "print-job-create": (LOGIN, OK, OK, OK, OK, OK, OK, OK),
    "print-job-detail": (LOGIN, OK, MISSING, MISSING, MISSING, MISSING, MISSING, MISSING),
    "print-job-download": (LOGIN, OK, MISSING, MISSING, MISSING, MISSING, MISSING, MISSING),
    "print-job-status": (LOGIN, OK, MISSING, MISSING, MISSING, MISSING, MISSING, MISSING),
    "proposal-create": (LOGIN, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, OK),
    "proposal-detail": (LOGIN, OK, OK, OK, OK, OK, OK, MISSING),
    "proposal-list": (LOGIN, OK, OK, OK, OK, OK, OK, OK),
    "proposal-pdf": (LOGIN, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, MISSING),
    "proposal-send": (LOGIN, METHOD, METHOD, METHOD, METHOD, METHOD, METHOD, METHOD),
    "ranking": (LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, OK, OK, FORBIDDEN),
    "ranking-xlsx": (LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, OK, OK, FORBIDDEN),
    "registration-create": (LOGIN, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK),
    "registration-create-choose": (LOGIN, OK, OK, OK, OK, OK, OK, OK),
    "registration-detail": (LOGIN, OK, OK, OK, OK, OK, OK, MISSING),
    "registration-export": (LOGIN, OK, OK, OK, OK, OK, OK, OK),
    "registration-list": (LOGIN, OK, OK, OK, OK, OK, OK, OK),
    "registration-pdf": (LOGIN, OK, OK, OK, OK, OK, OK, MISSING),
    "registration-publish": (LOGIN, METHOD, METHOD, METHOD, METHOD, METHOD, METHOD, METHOD),
    "registration-transition": (LOGIN, METHOD, METHOD, METHOD, METHOD, METHOD, METHOD, METHOD),
    "registration-update": (LOGIN, REDIRECT, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, MISSING),
    "reminder-send": (LOGIN, METHOD, METHOD, METHOD, METHOD, METHOD, METHOD, METHOD),
    "review-edit": (LOGIN, OK, OK, OK, OK, OK, OK, MISSING),
    "review-pdf": (LOGIN, MISSING, REDIRECT, MISSING, REDIRECT, REDIRECT, REDIRECT, MISSING),
    "review-unit": (LOGIN, MISSING, OK, MISSING, OK, OK, OK, MISSING),
    "review-xlsx": (LOGIN, MISSING, OK, MISSING, OK, OK, OK, MISSING),
    "showcase-detail": (OK, OK, OK, OK, OK, OK, OK, OK),
    "showcase-list": (OK, OK, OK, OK, OK, OK, OK, OK),
    "showcase-photo": (OK, OK, OK, OK, OK, OK, OK, OK),
    "submission-pdf": (LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, REDIRECT, FORBIDDEN, FORBIDDEN, FORBIDDEN),
    "unregistered-units": (LOGIN, OK, OK, OK, OK, OK, OK, OK),
    "verify-file": (OK, OK, OK, OK, OK, OK, OK, OK),
    "verify-lookup": (OK, OK, OK, OK, OK, OK, OK, OK),
}  # fmt: skip

PUBLIC = {"verify-lookup", "verify-file", "document-verify", "showcase-list", "showcase-detail", "showcase-photo"}
# URLs whose object (or unit in the query) is in the Sở Y tế branch: the outsider must not learn it exists.
BRANCH_URLS = (set(ARGS) | set(QUERY)) - PUBLIC - {"registration-create", "meeting-create", "proposal-create"}
POST_ONLY = {name for name, row in EXPECTED.items() if row[1] == METHOD}


def test_the_table_covers_every_url_name():
    assert set(EXPECTED) == set(url_names())


def test_anonymous_is_sent_to_login_everywhere_but_the_public_pages():
    assert {name for name, row in EXPECTED.items() if row[0] != LOGIN} == PUBLIC
    assert all(row[0] == OK for name, row in EXPECTED.items() if name in PUBLIC)


def test_the_outsider_gets_404_on_every_branch_object_asked_by_get():
    assert {name for name in BRANCH_URLS - POST_ONLY if EXPECTED[name][-1] != MISSING} == set()


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_get_answer_of_every_persona_matches_the_table(client, world, name):
    assert answers(client, name, world) == dict(zip(PERSONAS, EXPECTED[name], strict=True))


def state() -> dict:
    """Every row of the models a POST could touch, timestamps included: any write shows up as a difference."""
    models = (Registration, Attachment, Document, Meeting, KhoiProposal, StatusChange, PrintJob)
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in models}


def _post_data(name: str, w: dict) -> dict:
    return {
        "registration-transition": {"reason": "Thử gửi hộ."},
        "attachment-upload": {"file": SimpleUploadedFile("x.pdf", PDF, content_type="application/pdf")},
        "document-scan-upload": {"scan": SimpleUploadedFile("x.pdf", PDF, content_type="application/pdf")},
        "document-signed-upload": {"signed_pdf": SimpleUploadedFile("x.pdf", PDF, content_type="application/pdf")},
        "meeting-record": {
            "minutes_number": "", "decision_number": "12-QĐ/ĐU", "decision_date": "12/10/2025",
            "signer_title": "BÍ THƯ", "signer_name": "Phạm Văn Đức",
        },
        "registration-publish": {"is_public": ""},
        "reminder-send": {"don_vi": w["dang_bo"].pk, "nam": w["year"].year},
        "registration-update": {"title": "Đổi tên trộm"},
        "review-edit": {"results": "Ghi trộm."},
        "owner-report-edit": {"results": "Ghi trộm."},
        "appraisal-score": {},
    }.get(name, {})  # fmt: skip


POSTED = sorted((POST_ONLY | {"registration-update", "review-edit", "owner-report-edit", "appraisal-score"}) - PUBLIC)


@pytest.mark.parametrize("name", POSTED)
def test_a_post_by_the_outsider_is_refused_and_changes_nothing(client, world, name):
    before = state()
    client.force_login(world["users"]["outsider"])
    response = client.post(url_of(name, world), _post_data(name, world))
    assert response.status_code in (403, 404)
    assert state() == before


@pytest.mark.parametrize("name", ["meeting-create", "proposal-create"])
def test_a_chooser_pointed_at_another_branch_shows_none_of_its_models(client, world, name):
    client.force_login(world["users"]["outsider"])
    content = client.get(url_of(name, world)).content.decode()
    assert "Mô hình đang chạy" not in content
    assert "Điển hình công khai" not in content


@pytest.mark.parametrize("name", ["meeting-create", "proposal-create"])
def test_the_outsider_cannot_create_for_another_branch_by_post(client, world, name):
    before = state()
    client.force_login(world["users"]["outsider"])
    entry = world["active"] if name == "meeting-create" else world["exemplar"]
    response = client.post(url_of(name, world), {"entries": [entry.pk], f"votes_for_{entry.pk}": "6"})
    assert response.status_code in (200, 403, 404)
    assert state() == before


# --- The staff admin ---------------------------------------------------------------------------------------------
#
# The admin's group, catalogue and unit-tree URLs, asked by every persona above plus three staff accounts: scoped to
# the Đảng bộ Sở Y tế, dual-role (editor of the chi bộ and approver of the đảng bộ), both holding every model
# permission (tests/conftest.py), and the superuser. Anyone who is not staff is sent to the admin's login page.

ADMIN_PERSONAS = [*PERSONAS, "scoped_staff", "dual_role_staff", "superuser"]
BAD = "bad"  # 400: a refused tree move


def admin_classify(response) -> str:
    if response.status_code == 400:
        return BAD
    if response.status_code == 302 and response["Location"].startswith(reverse("admin:login")):
        return LOGIN
    return classify(response)


@pytest.fixture
def admin_world(world, scoped_staff, dual_role_staff, admin_user, unit_tree) -> dict:
    world["users"].update(scoped_staff=scoped_staff, dual_role_staff=dual_role_staff, superuser=admin_user)
    group = Group.objects.create(name="Văn phòng")
    scoped_staff.groups.add(group)
    dual_role_staff.groups.add(group)
    return world | {
        "group": group, "field": Field.objects.order_by("pk").first(),
        "criterion": Criterion.objects.order_by("pk").first(), "formtext": FormText.objects.order_by("pk").first(),
        "agency": unit_tree["SYT"], "other_dang_bo": unit_tree["STC-DB"],
    }  # fmt: skip


def _admin(name, key=None):
    return lambda w: reverse(f"admin:{name}", args=[w[key].pk] if key else [])


ADMIN_URLS = {
    "group-list": _admin("auth_group_changelist"),
    "group-add": _admin("auth_group_add"),
    "group-change": _admin("auth_group_change", "group"),
    "user-change": lambda w: reverse("admin:auth_user_change", args=[w["users"]["secretary"].pk]),
    "year-add": _admin("registry_year_add"),
    "year-change": _admin("registry_year_change", "year"),
    "field-add": _admin("registry_field_add"),
    "field-change": _admin("registry_field_change", "field"),
    "criterion-add": _admin("registry_criterion_add"),
    "criterion-change": _admin("registry_criterion_change", "criterion"),
    "formtext-add": _admin("registry_formtext_add"),
    "formtext-change": _admin("registry_formtext_change", "formtext"),
    "unit-change": _admin("registry_unit_change", "chi_bo"),
    "unit-move": lambda w: reverse("admin:registry_unit_changelist") + "move/",
}

# URL -> the answer of each persona to a GET, in the order of ADMIN_PERSONAS:
#   anonymous, secretary, approver, chi_bo_approver, appraiser, viewer, khoi_approver, outsider,
#   scoped_staff, dual_role_staff, superuser
_NOT_STAFF = (LOGIN,) * len(PERSONAS)
ADMIN_EXPECTED: dict[str, tuple[str, ...]] = {
    "group-list": (*_NOT_STAFF, FORBIDDEN, FORBIDDEN, OK),
    "group-add": (*_NOT_STAFF, FORBIDDEN, FORBIDDEN, OK),
    "group-change": (*_NOT_STAFF, FORBIDDEN, FORBIDDEN, OK),
    "user-change": (*_NOT_STAFF, FORBIDDEN, FORBIDDEN, OK),
    "year-add": (*_NOT_STAFF, FORBIDDEN, FORBIDDEN, OK),
    "year-change": (*_NOT_STAFF, OK, OK, OK),
    "field-add": (*_NOT_STAFF, FORBIDDEN, FORBIDDEN, OK),
    "field-change": (*_NOT_STAFF, OK, OK, OK),
    "criterion-add": (*_NOT_STAFF, FORBIDDEN, FORBIDDEN, OK),
    "criterion-change": (*_NOT_STAFF, OK, OK, OK),
    "formtext-add": (*_NOT_STAFF, FORBIDDEN, FORBIDDEN, OK),
    "formtext-change": (*_NOT_STAFF, OK, OK, OK),
    "unit-change": (*_NOT_STAFF, OK, OK, OK),
    "unit-move": (*_NOT_STAFF, BAD, BAD, BAD),  # a GET carries no move
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(ADMIN_URLS))
def test_admin_get_answer_of_every_persona_matches_the_table(client, admin_world, name):
    url = ADMIN_URLS[name](admin_world)
    result = {}
    for persona in ADMIN_PERSONAS:
        client.logout()
        if (user := admin_world["users"][persona]) is not None:
            client.force_login(user)
        result[persona] = admin_classify(client.get(url))
    assert result == dict(zip(ADMIN_PERSONAS, ADMIN_EXPECTED[name], strict=True))


def _admin_post_data(name: str, w: dict) -> dict:
    every_permission = list(Permission.objects.values_list("pk", flat=True))
    criterion = w["criterion"]
    return {
        "group-add": {"name": "Toàn quyền", "permissions": every_permission},
        "group-change": {"name": "Văn phòng", "permissions": every_permission},
        "user-change": {"username": "bithu", "is_superuser": "on", "user_permissions": every_permission},
        "year-change": {"year": w["year"].year, "is_open": ""},
        "criterion-change": {
            "group": criterion.group, "number": criterion.number, "text": criterion.text, "max_score": 100,
        },
        # The agency may hang under another đảng bộ (the superuser may move it), never from a staff account
        # scoped to Sở Y tế, where the other đảng bộ lies outside the subtree.
        "unit-move": {"node": w["agency"].pk, "target": w["other_dang_bo"].pk, "relation": "child"},
    }[name]  # fmt: skip


def admin_state() -> dict:
    return {
        "groups": [(g.name, sorted(g.permissions.values_list("pk", flat=True))) for g in Group.objects.order_by("pk")],
        "users": list(get_user_model().objects.order_by("pk").values("username", "is_superuser")),
        "user_permissions": sorted(get_user_model().user_permissions.through.objects.values_list("user", "permission")),
        "years": list(Year.objects.order_by("pk").values()),
        "criteria": list(Criterion.objects.order_by("pk").values()),
        "units": list(Unit.objects.order_by("pk").values("pk", "path")),
    }


ADMIN_POSTED = ["group-add", "group-change", "user-change", "year-change", "criterion-change", "unit-move"]


@pytest.mark.parametrize("persona", ["scoped_staff", "dual_role_staff"])
@pytest.mark.parametrize("name", ADMIN_POSTED)
def test_an_admin_post_by_scoped_or_dual_role_staff_is_refused_and_changes_nothing(client, admin_world, persona, name):
    before = admin_state()
    client.force_login(admin_world["users"][persona])
    response = client.post(ADMIN_URLS[name](admin_world), _admin_post_data(name, admin_world))
    assert admin_classify(response) in (FORBIDDEN, BAD)
    assert admin_state() == before


def test_the_superuser_moves_the_agency_that_scoped_staff_may_not(client, admin_world):
    client.force_login(admin_world["users"]["superuser"])
    response = client.post(ADMIN_URLS["unit-move"](admin_world), _admin_post_data("unit-move", admin_world))
    assert response.status_code == 200
    assert Unit.objects.get_parent(Unit.objects.get(code="SYT")) == admin_world["other_dang_bo"]
