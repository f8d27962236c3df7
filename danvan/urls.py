"""Top-level URLs: the admin, login/logout, and the registry app."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path

from registry.login_throttle import AdminLoginForm, LoginForm
from registry.views.health import healthz

admin.site.site_header = "Quản trị cổng “Dân vận khéo”"
admin.site.site_title = "Quản trị “Dân vận khéo”"
admin.site.index_title = "Dữ liệu danh mục"
admin.site.login_form = AdminLoginForm


def favicon(request):
    """Browsers, feed readers and PDF viewers that ask for /favicon.ico without reading the page's <link rel=icon>
    get the portal's icon from static/ (its hashed name in production, hence a temporary redirect)."""
    return redirect(static("img/favicon.ico"))


urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", favicon, name="favicon"),
    path("admin/", admin.site.urls),
    path(
        "dang-nhap/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True, authentication_form=LoginForm),
        name="login",
    ),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("registry.urls")),
]
