"""Top-level URLs: the admin, login/logout, and the registry app."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from registry.login_throttle import AdminLoginForm, LoginForm
from registry.views.health import healthz

admin.site.site_header = "Quản trị cổng “Dân vận khéo”"
admin.site.site_title = "Quản trị “Dân vận khéo”"
admin.site.index_title = "Dữ liệu danh mục"
admin.site.login_form = AdminLoginForm

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path(
        "dang-nhap/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True, authentication_form=LoginForm),
        name="login",
    ),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("registry.urls")),
]
