from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("switch/", views.switch_tenant, name="switch"),
    path("school/", views.school_detail, name="school"),
    path("school/edit/", views.school_edit, name="school_edit"),
    path("school/pdf/", views.school_profile_pdf, name="school_pdf"),
    path("staff/", views.staff_list, name="staff"),
    path("staff/new/", views.staff_create, name="staff_create"),
]
