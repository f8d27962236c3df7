"""Load test of the portal (``make loadtest``): chi bộ secretaries register and send Mẫu 1, đảng ủy approvers receive
or return what was sent, all through the real pages and POST forms (CSRF tokens included), as a browser would.

Run by ``scripts/loadtest.sh``, which seeds the accounts (``manage.py seed_load_users --accounts-file``) and afterwards
compares what the users recorded here with the database (``loadtest/check_results.py``). Environment:

- ``LOADTEST_ACCOUNTS``: the JSON file written by ``seed_load_users`` (usernames by role and the shared password).
- ``LOADTEST_RESULTS``: where to write what was done, by action, as registration ids (read by ``check_results.py``).
- ``LOADTEST_APPROVERS``: how many of the users are approvers (default 20); every other user is a secretary.
- ``LOADTEST_THINK_MIN`` / ``LOADTEST_THINK_MAX``: seconds a user pauses between two pages (default 2 and 6).

Approvers start with work: the script seeds one sent registration per chi bộ (``--backlog``). Every user logs in once
(django-axes counts failures only, so 100 correct logins from 127.0.0.1 lock nobody out) and keeps its session. A
response that is not what a person would see after that step (a form with errors, the login page, a refusal message)
is a failure, not only a 4xx/5xx. When two approvers of one đảng bộ open the same entry at once, the second is told it
was already handled: that is the portal working as intended and is counted, not failed.
"""

import datetime
import json
import os
import random
import re
import time
import unicodedata
from collections import defaultdict
from html.parser import HTMLParser
from itertools import count

from locust import HttpUser, between, events, task
from locust.exception import StopUser

TIMEOUT = 60  # seconds, as gunicorn's --timeout: a slower answer is a failure
THINK = between(float(os.environ.get("LOADTEST_THINK_MIN", "2")), float(os.environ.get("LOADTEST_THINK_MAX", "6")))
RETURN_SHARE = 0.25  # of the entries an approver decides, this share is returned with a reason
RETURN_REASON = "Đề nghị bổ sung chỉ tiêu đánh giá cụ thể và nguồn kinh phí thực hiện (kiểm thử tải)."

DETAIL_PATH = re.compile(r"^/mo-hinh/(\d+)/$")
DETAIL_LINK = re.compile(r'href="/mo-hinh/(\d+)/"')
STATUS_BADGE = re.compile(r'data-status="(\w+)"')
FIELD_ERROR = re.compile(r'class="invalid-feedback[^"]*"[^>]*>\s*<strong>([^<]+)')


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


# Messages the portal shows after each step (registry/views/registrations.py); matched in NFC as pages are stored.
SAVED = nfc("Đã lưu bản nháp.")
SUBMITTED = nfc("Đã gửi đăng ký đến")
RECEIVED = nfc("Đã tiếp nhận hồ sơ.")
RETURNED = nfc("Đã trả lại hồ sơ kèm lý do")
ALREADY_HANDLED = nfc("Có thể người khác vừa xử lý hồ sơ này")
HOME_TITLE = nfc("Việc cần làm")
LIST_TITLE = nfc("Danh sách mô hình “Dân vận khéo”")


# --- what the users did, written at exit for check_results.py --------------------------------------------------------

RESULTS: dict[str, list] = defaultdict(list)
STARTED = [time.monotonic()]


@events.test_start.add_listener
def note_start(environment, **_kwargs):
    STARTED[0] = time.monotonic()


def record(kind: str, value) -> None:
    RESULTS[kind].append(value)


def stats_row(entry) -> dict:
    return {
        "name": f"{entry.method} {entry.name}" if entry.method else entry.name,
        "requests": entry.num_requests,
        "failures": entry.num_failures,
        "rps": entry.total_rps,
        **{f"p{p}": entry.get_response_time_percentile(p / 100) for p in (50, 95, 99)},
        "max": entry.max_response_time,
    }


@events.quitting.add_listener
def write_results(environment, **_kwargs):
    """Written once every user has stopped: locust's CSV files are written on a timer and can miss the last requests."""
    path = os.environ.get("LOADTEST_RESULTS")
    if not path:
        return
    stats = environment.stats
    results = {
        **RESULTS,
        "stats": {
            "total": stats_row(stats.total),
            "requests": [stats_row(e) for e in sorted(stats.entries.values(), key=lambda e: -e.num_requests)],
            "errors": [f"{e.occurrences} × {e.method} {e.name}: {e.error}" for e in stats.errors.values()],
            # Exceptions raised in the users' own code (a page that could not be read): each stopped a user.
            "exceptions": [f"{e['count']} × {e['msg']}" for e in environment.runner.exceptions.values()],
        },
    }
    with open(path, "w", encoding="utf-8") as f:
        json.dump(results, f, ensure_ascii=False, indent=1)


# --- accounts ---------------------------------------------------------------------------------------------------------


def _accounts() -> dict:
    path = os.environ.get("LOADTEST_ACCOUNTS")
    if not path:
        return {"password": "", "secretaries": [], "approvers": []}
    with open(path, encoding="utf-8") as f:
        return json.load(f)


ACCOUNTS = _accounts()
_next_secretary = count()
_next_approver = count()


def take_account(role: str, counter) -> str:
    """The next unused account of ``role``: each simulated user logs in as a person of its own."""
    names = ACCOUNTS[role]
    index = next(counter)
    if index >= len(names):
        raise StopUser(f"Không đủ tài khoản {role}: cần thêm, hãy chạy seed_load_users với tham số lớn hơn.")
    return names[index]


# --- reading pages ----------------------------------------------------------------------------------------------------


class Form:
    """One <form> of a page: its action and the values a browser would send without the user touching anything, plus
    the options of each <select> and radio group for the user to choose from."""

    def __init__(self, action: str):
        self.action = action
        self.values: dict[str, str] = {}
        self.options: dict[str, list[str]] = defaultdict(list)


class FormParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if tag == "form":
            self._form = Form(a.get("action", ""))
            self.forms.append(self._form)
            return
        form = self._form
        if form is None:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in ("radio", "checkbox"):
                form.options[name].append(a.get("value", "on"))
                if "checked" in a:
                    form.values[name] = a.get("value", "on")
            elif kind != "submit":
                form.values[name] = a.get("value", "")
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select:
            value = a.get("value", "")
            if value:
                form.options[self._select].append(value)
            if "selected" in a:
                form.values[self._select] = value
        elif tag == "textarea" and name:
            self._textarea = name
            form.values[name] = ""

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._form is not None and self._textarea:
            self._form.values[self._textarea] += data


def forms_of(html: str) -> list[Form]:
    parser = FormParser()
    parser.feed(html)
    return parser.forms


def form_posting_to(html: str, suffix: str) -> Form | None:
    return next((f for f in forms_of(html) if f.action.endswith(suffix)), None)


def path_of(url: str | None) -> str:
    """``http://host:port/mo-hinh/5/?x`` → ``/mo-hinh/5/``; "" for a request that got no answer."""
    if not url:
        return ""
    rest = url.split("://", 1)[-1]
    path = "/" + rest.partition("/")[2]
    return path.split("?", 1)[0]


def detail_id(response) -> int | None:
    match = DETAIL_PATH.match(path_of(response.url))
    return int(match.group(1)) if match else None


def status_shown(html: str) -> str:
    """The status in the badge at the top of a registration's page (the page's first ``data-status``)."""
    match = STATUS_BADGE.search(html)
    return match.group(1) if match else ""


def refuse(response, message: str) -> None:
    """Mark a response that arrived (200) but is not the page a person expects after this step as failed. A request
    that failed at the HTTP level (no answer, 4xx, 5xx) keeps the error locust recorded for it."""
    if response.status_code == 200:
        response.failure(message)


def why_refused(html: str) -> str:
    errors = FIELD_ERROR.findall(html)
    return "; ".join(e.strip() for e in errors[:3]) or "không rõ lý do"


# --- users ------------------------------------------------------------------------------------------------------------


class PortalUser(HttpUser):
    abstract = True
    wait_time = THINK
    role = ""
    counter = None

    def on_start(self):
        self.username = take_account(self.role, self.counter)
        self.log_in()

    def get(self, path: str, name: str | None = None):
        return self.client.get(path, name=name or path, timeout=TIMEOUT, catch_response=True)

    def post(self, path: str, data: dict, name: str):
        return self.client.post(path, data=data, name=name, timeout=TIMEOUT, catch_response=True)

    def log_in(self):
        with self.get("/dang-nhap/") as page:
            form = next((f for f in forms_of(page.text) if "password" in f.values), None)
            if page.status_code != 200 or form is None or "csrfmiddlewaretoken" not in form.values:
                refuse(page, "Trang đăng nhập không có biểu mẫu")
                raise StopUser()
        data = {**form.values, "username": self.username, "password": ACCOUNTS["password"]}
        with self.post("/dang-nhap/", data, name="/dang-nhap/ (POST)") as response:
            if path_of(response.url) != "/" or HOME_TITLE not in response.text:
                refuse(response, f"Đăng nhập {self.username} không thành công")
                raise StopUser()
            record("logins", self.username)
            record("logged_in_after", round(time.monotonic() - STARTED[0], 1))

    def fail(self, name: str, message: str) -> None:
        """Count a failure that no single response shows (a button missing from a page that loaded fine)."""
        self.environment.events.request.fire(
            request_type="CHECK", name=name, response_time=0, response_length=0, exception=AssertionError(message)
        )

    def open_home(self) -> str:
        with self.get("/", name="/ (việc cần làm)") as page:
            if HOME_TITLE not in page.text:
                refuse(page, "Trang chủ không hiện “Việc cần làm” (phiên đăng nhập mất?)")
            return page.text

    def open_detail(self, pk: int):
        return self.get(f"/mo-hinh/{pk}/", name="/mo-hinh/[id]/")

    def transition(self, pk: int, form: Form, action: str, **extra):
        return self.post(form.action, {**form.values, **extra}, name=f"/mo-hinh/[id]/thao-tac/{action}/")


class Secretary(PortalUser):
    """A chi bộ secretary: registers a Mẫu 1 for the chi bộ and sends it; sends again what was returned."""

    weight = 1
    role = "secretaries"
    counter = _next_secretary

    @task(3)
    def register_and_submit(self):
        self.open_home()
        self.wait()
        with self.get("/mo-hinh/", name="/mo-hinh/ (danh sách)") as page:
            if LIST_TITLE not in page.text:
                refuse(page, "Không mở được danh sách mô hình")
        self.wait()
        with self.get("/mo-hinh/dang-ky/mau-1/") as page:
            form = next((f for f in forms_of(page.text) if "title" in f.values), None)
            if form is None or not form.options.get("subject_unit"):
                refuse(page, "Mẫu 1 không có biểu mẫu hoặc không có chi bộ để chọn")
                return
        self.wait()  # typing the form
        saved = self.save_draft(form)
        if saved is None:
            return
        self.wait()  # reading the saved draft over before sending it, on the page the portal showed after saving
        self.submit(*saved)

    @task(1)
    def resubmit_returned(self):
        with self.get("/mo-hinh/?trang_thai=returned", name="/mo-hinh/?trang_thai=returned") as page:
            if LIST_TITLE not in page.text:
                refuse(page, "Không mở được danh sách hồ sơ bị trả lại")
                return
            returned = [int(pk) for pk in DETAIL_LINK.findall(page.text)]
        if not returned:
            return
        self.wait()
        pk = random.choice(returned)
        with self.open_detail(pk) as page:
            html = page.text
            if detail_id(page) != pk:
                refuse(page, f"Không mở được hồ sơ {pk}")
                return
        self.wait()
        self.submit(pk, html)

    def save_draft(self, form: Form) -> tuple[int, str] | None:
        """Save the filled form; the id of the new draft and the page shown after saving, or None."""
        number = len(RESULTS["created"]) + 1
        today = datetime.date.today()  # noqa: DTZ011 (the server's day is the client's: both run here)
        data = {
            **form.values,
            "subject_unit": form.options["subject_unit"][0],
            "subject_headcount": "12",
            "title": f"Mô hình “Dân vận khéo” kiểm thử tải số {number} của {self.username}",
            "field": random.choice(form.options["field"]),
            "level": "co_so",
            "address": "Trụ sở cơ quan, phường Phan Đình Phùng, Thái Nguyên",
            "situation": "Người dân còn phải đi lại nhiều lần khi làm thủ tục; cần đổi mới cách làm, gần dân, sát dân.",
            "objectives": "Rút ngắn thời gian giải quyết thủ tục; nâng cao sự hài lòng của người dân.",
            "indicators": "Ít nhất 90% người dân hài lòng; 100% hồ sơ giải quyết đúng hẹn.",
            "content": "1. Xây dựng kế hoạch, phân công cụ thể. 2. Niêm yết công khai thủ tục. "
            "3. Sơ kết, rút kinh nghiệm.",
            "beneficiaries": "Người dân, tổ chức đến làm thủ tục.",
            "partners": "Công đoàn, Đoàn Thanh niên cơ quan; Mặt trận Tổ quốc nơi thực hiện.",
            "resources": "Kinh phí hoạt động thường xuyên; ngày công tình nguyện.",
            "start_date": f"{today:%d/%m/%Y}",
            "end_date": f"31/12/{today.year}",
            "milestones": "Sơ kết 6 tháng; tổng kết cuối năm.",
            "expected_results": "Mô hình được duy trì thường xuyên, có cách làm hay được nhân rộng.",
            "sustainability": "Có thể duy trì lâu dài và nhân rộng ra các chi bộ khác.",
            "lead_name": "Nguyễn Văn Hùng",
            "lead_position": "Bí thư chi bộ",
            "lead_phone": "0912 345 678",
        }
        with self.post("/mo-hinh/dang-ky/mau-1/", data, name="/mo-hinh/dang-ky/mau-1/ (POST)") as response:
            pk = detail_id(response)
            if pk is None or SAVED not in response.text:
                refuse(response, f"Không lưu được bản nháp: {why_refused(response.text)}")
                return None
            record("created", pk)
            return pk, response.text

    def submit(self, pk: int, detail_html: str) -> None:
        """Press “Gửi đăng ký” on the registration's page."""
        form = form_posting_to(detail_html, "/thao-tac/submit/")
        if form is None:
            self.fail("/mo-hinh/[id]/ (nút Gửi đăng ký)", f"Hồ sơ {pk}: trang không có nút “Gửi đăng ký”")
            return
        with self.transition(pk, form, "submit") as response:
            if SUBMITTED not in response.text:
                refuse(response, f"Hồ sơ {pk}: gửi không thành công")
                return
            record("submit", pk)


class Approver(PortalUser):
    """A member of a đảng ủy: opens what its chi bộ sent and receives it, or returns it with a reason."""

    fixed_count = int(os.environ.get("LOADTEST_APPROVERS", "20"))
    role = "approvers"
    counter = _next_approver

    @task
    def review(self):
        waiting = self.waiting()
        if not waiting:
            return
        self.wait()
        pk = random.choice(waiting[:10])  # the oldest first, as the inbox orders them
        with self.open_detail(pk) as page:
            if detail_id(page) != pk:
                refuse(page, f"Không mở được hồ sơ {pk}")
                return
            action = "return" if random.random() < RETURN_SHARE else "receive"
            form = form_posting_to(page.text, f"/thao-tac/{action}/")
            if form is None:
                if status_shown(page.text) == "submitted":
                    refuse(page, f"Hồ sơ {pk} chờ tiếp nhận nhưng không có nút “{action}”")
                else:  # the other approver of this đảng bộ took it meanwhile
                    record("already_handled", pk)
                return
        self.wait()  # reading the entry
        extra = {"reason": RETURN_REASON} if action == "return" else {}
        with self.transition(pk, form, action, **extra) as response:
            if (RECEIVED if action == "receive" else RETURNED) in response.text:
                record(action, pk)
            elif ALREADY_HANDLED in response.text:
                record("already_handled", pk)
            else:
                refuse(response, f"Hồ sơ {pk}: “{action}” không thành công")

    def waiting(self) -> list[int]:
        html = self.open_home()
        section = html.partition('id="cho-tiep-nhan"')[2]
        return [int(pk) for pk in DETAIL_LINK.findall(section)]
