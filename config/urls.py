from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from reports.views import home

urlpatterns = [
    path("", home, name="home"),
    path("accounts/", include("accounts.urls")),
    path("core/", include("core.urls")),
    path("pilots/", include("pilots.urls")),
    path("students/", include("students.urls")),
    path("exam-sites/", include("exam_sites.urls")),
    path("certificates/", include("certificates.urls")),
    path("funding/", include("funding.urls")),
    path("reports/", include("reports.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
]
