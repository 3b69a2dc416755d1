from django.urls import path

from .views import announcements, applications, batches, sessions, sites

app_name = "exam_sites"

urlpatterns = [
    path("applications/", applications.application_list, name="application_list"),
    path("applications/new/", applications.application_new, name="application_new"),
    path("applications/<int:application_id>/", applications.application_detail, name="application_detail"),
    path("applications/<int:application_id>/edit/", applications.application_edit, name="application_edit"),
    path("applications/<int:application_id>/submit/", applications.application_submit_view, name="application_submit"),
    path("applications/<int:application_id>/pdf/", applications.application_pdf, name="application_pdf"),
    path("applications/<int:application_id>/decide/", applications.application_decide, name="application_decide"),
    path("review/", applications.queue, name="queue"),
    path("sites/", sites.site_list, name="site_list"),
    # assessment scheduling
    path("announcements/", announcements.announcement_list, name="announcement_list"),
    path("announcements/new/", announcements.announcement_new, name="announcement_new"),
    path("announcements/<int:announcement_id>/", announcements.announcement_detail, name="announcement_detail"),
    path("announcements/<int:announcement_id>/rounds/new/", announcements.round_new, name="round_new"),
    path(
        "announcements/<int:announcement_id>/publish/",
        announcements.announcement_publish_view,
        name="announcement_publish",
    ),
    path("batches/", batches.batch_list, name="batch_list"),
    path("batches/new/", batches.batch_new, name="batch_new"),
    path("batches/<int:batch_id>/", batches.batch_detail, name="batch_detail"),
    path("batches/<int:batch_id>/edit/", batches.batch_edit, name="batch_edit"),
    path("batches/<int:batch_id>/sessions/new/", batches.session_new, name="session_new"),
    path("batches/<int:batch_id>/allocate/", batches.batch_allocate, name="batch_allocate"),
    path("sessions/<int:session_id>/", sessions.session_detail, name="session_detail"),
    path("sessions/<int:session_id>/delete/", sessions.session_delete_view, name="session_delete"),
    path("sessions/<int:session_id>/move/", sessions.seat_move_view, name="seat_move"),
    path("sessions/<int:session_id>/pdf/", sessions.session_pdf, name="session_pdf"),
    path("sessions/<int:session_id>/xlsx/", sessions.SessionListExportView.as_view(), name="session_xlsx"),
]
