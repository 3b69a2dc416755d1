from django.urls import path

from . import views

app_name = "students"

urlpatterns = [
    path("", views.person_list, name="person_list"),
    path("new/", views.person_create_view, name="person_create"),
    path("<int:person_id>/edit/", views.person_edit, name="person_edit"),
    path("import/students/", views.StudentImportView.as_view(), name="student_import"),
    path("import/trainees/", views.TraineeImportView.as_view(), name="trainee_import"),
    path("export/", views.PersonExportView.as_view(), name="person_export"),
    path("classes/", views.class_list, name="class_list"),
    path("classes/new/", views.class_create_view, name="class_create"),
    path("majors/new/", views.major_create_view, name="major_create"),
    path("pilots/<int:pilot_id>/", views.enrolment_list, name="enrolment_list"),
    path("pilots/<int:pilot_id>/enrol/", views.enrol_person, name="enrol_person"),
    path("pilots/<int:pilot_id>/enrol-class/", views.enrol_class, name="enrol_class"),
    path("pilots/<int:pilot_id>/import/", views.EnrolmentImportView.as_view(), name="enrolment_import"),
    path("pilots/<int:pilot_id>/export/", views.EnrolmentExportView.as_view(), name="enrolment_export"),
]
