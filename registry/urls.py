"""URLs of the registry app. Names follow ``<entity>-<role>`` (registration-list, registration-pdf…)."""

from django.urls import path

from registry.views import attachments, home, lists, pdf, registrations

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
    path("van-ban/<int:pk>/pdf/", pdf.document_pdf, name="document-pdf"),
]
