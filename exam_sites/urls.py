from django.urls import path

from . import scheduling_views, views

app_name = "exam_sites"

urlpatterns = [
    path("applications/", views.application_list, name="application_list"),
    path("applications/new/", views.application_new, name="application_new"),
    path("applications/<int:application_id>/", views.application_detail, name="application_detail"),
    path("applications/<int:application_id>/edit/", views.application_edit, name="application_edit"),
    path("applications/<int:application_id>/submit/", views.application_submit_view, name="application_submit"),
    path("applications/<int:application_id>/pdf/", views.application_pdf, name="application_pdf"),
    path("applications/<int:application_id>/decide/", views.application_decide, name="application_decide"),
    path("review/", views.queue, name="queue"),
    path("sites/", views.site_list, name="site_list"),
    # assessment scheduling (issue 7)
    path("announcements/", scheduling_views.announcement_list, name="announcement_list"),
    path("announcements/new/", scheduling_views.announcement_new, name="announcement_new"),
    path("announcements/<int:announcement_id>/", scheduling_views.announcement_detail, name="announcement_detail"),
    path("announcements/<int:announcement_id>/rounds/new/", scheduling_views.round_new, name="round_new"),
    path(
        "announcements/<int:announcement_id>/publish/",
        scheduling_views.announcement_publish_view,
        name="announcement_publish",
    ),
    path("batches/", scheduling_views.batch_list, name="batch_list"),
    path("batches/new/", scheduling_views.batch_new, name="batch_new"),
    path("batches/<int:batch_id>/", scheduling_views.batch_detail, name="batch_detail"),
    path("batches/<int:batch_id>/edit/", scheduling_views.batch_edit, name="batch_edit"),
    path("batches/<int:batch_id>/sessions/new/", scheduling_views.session_new, name="session_new"),
    path("batches/<int:batch_id>/allocate/", scheduling_views.batch_allocate, name="batch_allocate"),
    path("sessions/<int:session_id>/", scheduling_views.session_detail, name="session_detail"),
    path("sessions/<int:session_id>/delete/", scheduling_views.session_delete_view, name="session_delete"),
    path("sessions/<int:session_id>/move/", scheduling_views.seat_move_view, name="seat_move"),
    path("sessions/<int:session_id>/pdf/", scheduling_views.session_pdf, name="session_pdf"),
    path("sessions/<int:session_id>/xlsx/", scheduling_views.SessionListExportView.as_view(), name="session_xlsx"),
]
