from django.urls import path  # noqa: F401

app_name = "exam_sites"

urlpatterns: list = []
