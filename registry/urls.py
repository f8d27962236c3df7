"""URLs of the registry app. Names follow ``<entity>-<role>`` (registration-list, registration-pdf…)."""

from django.urls import path

from registry.views import (
    appraisals,
    attachments,
    dashboard,
    documents,
    home,
    jobs,
    lists,
    meetings,
    notifications,
    pdf,
    proposals,
    public,
    registrations,
    reviews,
)

app_name = "registry"

urlpatterns = [
    path("", home.home, name="home"),
    # Lists, export and the units that have not registered (views/lists.py)
    path("mo-hinh/", lists.registration_list, name="registration-list"),
    path("mo-hinh/xuat-excel/", lists.registration_export, name="registration-export"),
    path("chua-dang-ky/", lists.unregistered_units, name="unregistered-units"),
    # Registering and the workflow (views/registrations.py)
    path("mo-hinh/dang-ky/", registrations.registration_create_choose, name="registration-create-choose"),
    path("mo-hinh/dang-ky/<str:kind>/", registrations.registration_create, name="registration-create"),
    path("mo-hinh/<int:pk>/", registrations.registration_detail, name="registration-detail"),
    path("mo-hinh/<int:pk>/sua/", registrations.registration_update, name="registration-update"),
    path(
        "mo-hinh/<int:pk>/thao-tac/<str:action>/",
        registrations.registration_transition,
        name="registration-transition",
    ),
    # Evidence (views/attachments.py)
    path("mo-hinh/<int:pk>/minh-chung/", attachments.attachment_upload, name="attachment-upload"),
    path("minh-chung/<int:pk>/", attachments.attachment_download, name="attachment-download"),
    path("minh-chung/<int:pk>/xoa/", attachments.attachment_delete, name="attachment-delete"),
    # Printed forms (views/pdf.py)
    path("mo-hinh/<int:pk>/in/", pdf.registration_pdf, name="registration-pdf"),
    path("danh-sach-dang-ky/", pdf.mau3, name="mau3"),
    path("danh-sach-dang-ky/pdf/", pdf.mau3_pdf, name="mau3-pdf"),
    path("danh-sach-dang-ky/excel/", pdf.mau3_xlsx, name="mau3-xlsx"),
    # Issuing a paper of the catalogue, its draft, and reprints of issued documents (views/documents.py)
    path("van-ban/ban-hanh/<str:code>/", documents.document_issue, name="document-issue"),
    path("van-ban/ban-nhap/<str:code>/", documents.document_draft, name="document-draft"),
    path("van-ban/ban-nhap/<str:code>/docx/", documents.document_draft_docx, name="document-draft-docx"),
    path("van-ban/ban-nhap/<str:code>/nen/", documents.document_draft_job, name="document-draft-job"),
    path("van-ban/<int:pk>/pdf/", documents.document_pdf, name="document-pdf"),
    path("van-ban/<int:pk>/docx/", documents.document_docx, name="document-docx"),
    # Yearly review (Mẫu 4) and the owner's reports (Mẫu 5, 6) (views/reviews.py)
    path("ra-soat/", reviews.review_unit, name="review-unit"),
    path("ra-soat/pdf/", reviews.review_pdf, name="review-pdf"),
    path("ra-soat/excel/", reviews.review_xlsx, name="review-xlsx"),
    path("mo-hinh/<int:pk>/ra-soat/<int:year>/", reviews.review_edit, name="review-edit"),
    path("mo-hinh/<int:pk>/bao-cao/<str:kind>/", reviews.owner_report_edit, name="owner-report-edit"),
    path("mo-hinh/<int:pk>/bao-cao/<str:kind>/pdf/", reviews.owner_report_pdf, name="owner-report-pdf"),
    # Confirmation meetings (Mẫu 5a/5b, 6a/6b, 7b) (views/meetings.py)
    path("hop-xet/", meetings.meeting_list, name="meeting-list"),
    path("hop-xet/tao/", meetings.meeting_create, name="meeting-create"),
    path("hop-xet/<int:pk>/", meetings.meeting_detail, name="meeting-detail"),
    path("hop-xet/<int:pk>/ghi-ket-qua/", meetings.meeting_record, name="meeting-record"),
    path("hop-xet/<int:pk>/bien-ban/", meetings.meeting_minutes_pdf, name="meeting-minutes-pdf"),
    path("hop-xet/<int:pk>/quyet-dinh/", meetings.meeting_decision_pdf, name="meeting-decision-pdf"),
    # Proposals of grassroots exemplars to the Khối (Mẫu 6b list) (views/proposals.py)
    path("de-nghi-khoi/", proposals.proposal_list, name="proposal-list"),
    path("de-nghi-khoi/tao/", proposals.proposal_create, name="proposal-create"),
    path("de-nghi-khoi/<int:pk>/", proposals.proposal_detail, name="proposal-detail"),
    path("de-nghi-khoi/<int:pk>/gui/", proposals.proposal_send, name="proposal-send"),
    path("de-nghi-khoi/<int:pk>/pdf/", proposals.proposal_pdf, name="proposal-pdf"),
    # Appraisal and ranking at Khối level (Mẫu 7, 7a) (views/appraisals.py)
    path("tham-dinh/", appraisals.appraisal_list, name="appraisal-list"),
    path("tham-dinh/<int:pk>/", appraisals.appraisal_score, name="appraisal-score"),
    path("tham-dinh/<int:pk>/hoan-thanh/", appraisals.appraisal_finish, name="appraisal-finish"),
    path("xep-hang/", appraisals.ranking, name="ranking"),
    path("xep-hang/excel/", appraisals.ranking_xlsx, name="ranking-xlsx"),
    path("xep-hang/bao-cao-tham-dinh/", appraisals.appraisal_report_pdf, name="appraisal-report-pdf"),
    path("xep-hang/to-trinh/", appraisals.submission_pdf, name="submission-pdf"),
    # Public pages, no login: document verification and the showcase of exemplars (views/public.py)
    path("xac-thuc/", public.verify_lookup, name="verify-lookup"),
    path("kiem-tra-tep/", public.verify_file, name="verify-file"),
    path("xac-thuc/<path:code>/", public.document_verify, name="document-verify"),
    path("dien-hinh/", public.showcase_list, name="showcase-list"),
    path("dien-hinh/<int:pk>/", public.showcase_detail, name="showcase-detail"),
    path("dien-hinh/<int:pk>/anh/<int:attachment_pk>/", public.showcase_photo, name="showcase-photo"),
    path("van-ban/<int:pk>/ban-ky/", public.document_scan_upload, name="document-scan-upload"),
    path("van-ban/<int:pk>/ban-ky-so/", public.document_signed_upload, name="document-signed-upload"),
    path("mo-hinh/<int:pk>/cong-khai/", public.registration_publish, name="registration-publish"),
    # Dashboard and periodic reports (views/dashboard.py)
    path("tong-quan/", dashboard.dashboard, name="dashboard"),
    path("bao-cao-dinh-ky/", dashboard.periodic_report, name="periodic-report"),
    path("bao-cao-dinh-ky/pdf/", dashboard.periodic_report_pdf, name="periodic-report-pdf"),
    path("bao-cao-dinh-ky/excel/", dashboard.periodic_report_xlsx, name="periodic-report-xlsx"),
    # Notifications: reminders to late units, the user's e-mail setting (views/notifications.py)
    path("nhac-nho/", notifications.reminder_send, name="reminder-send"),
    path("tai-khoan/thong-bao/", notifications.notification_settings, name="notification-settings"),
    # Background printing of every form of a unit and year (views/jobs.py)
    path("in-hang-loat/", jobs.print_job_create, name="print-job-create"),
    path("in-hang-loat/<int:pk>/", jobs.print_job_detail, name="print-job-detail"),
    path("in-hang-loat/<int:pk>/trang-thai/", jobs.print_job_status, name="print-job-status"),
    path("in-hang-loat/<int:pk>/tai-ve/", jobs.print_job_download, name="print-job-download"),
]
