from django.urls import path

from .views import collection, issuance, notice, results, rosters, verification

app_name = "certificates"

urlpatterns = [
    # Public verification, QR codes, the check log, a certificate's page, revocation and reissue.
    path("verify/", verification.verify, name="verify"),
    path("v/<str:token>/", verification.verify_token, name="verify_token"),
    path("verifications/", verification.verification_log, name="verification_log"),
    path("verifications/certificates/", verification.verification_certificates, name="verification_certificates"),
    path(
        "issued/<int:issued_id>/verification/",
        verification.verification_certificate,
        name="verification_certificate",
    ),
    path("issued/<int:issued_id>/qr.svg", verification.verification_qr, name="verification_qr"),
    path("issued/<int:issued_id>/revoke/", verification.certificate_revoke_view, name="certificate_revoke"),
    path("issued/<int:issued_id>/reissue/", verification.certificate_reissue_view, name="certificate_reissue"),
    # Issuance.
    path("issuance/", issuance.issuance_list, name="issuance_list"),
    path("issuance/import/", issuance.NumberImportView.as_view(), name="issuance_import"),
    path("issuance/batches/<int:issue_batch_id>/", issuance.issuance_batch_detail, name="issuance_batch"),
    path("issuance/batches/<int:issue_batch_id>/generate/", issuance.issuance_generate, name="issuance_generate"),
    path("issuance/batches/<int:issue_batch_id>/record/", issuance.issuance_record, name="issuance_record"),
    # Collection, external certificates, classes.
    path("people/<int:person_id>/", collection.person_certificates_view, name="person"),
    path("people/<int:person_id>/external/new/", collection.external_create, name="external_create"),
    path("issued/<int:issued_id>/collect/", collection.issued_collect, name="issued_collect"),
    path("external/", collection.external_list, name="external_list"),
    path("external/import/", collection.ExternalImportView.as_view(), name="external_import"),
    path("external/<int:external_id>/collect/", collection.external_collect, name="external_collect"),
    path("classes/", collection.class_list, name="class_list"),
    path("classes/<int:class_id>/", collection.class_detail, name="class_detail"),
    path("classes/<int:class_id>/collect/", collection.class_collect_view, name="class_collect"),
    # Rosters: one class's as PDF or .xlsx, and all of a batch or a year in one ZIP.
    path("classes/<int:class_id>/roster.pdf", rosters.roster_pdf, name="roster_pdf"),
    path("classes/<int:class_id>/roster.xlsx", rosters.RosterExportView.as_view(), name="roster_xlsx"),
    path("rosters/zip/", rosters.roster_zip, name="roster_zip"),
    # Results: the grid, Excel, 登记中 → 公示中 → 已结束 with objections, corrections with history.
    path("results/", results.results_index, name="results_index"),
    path("results/open/", results.sheet_open, name="sheet_open"),
    path("results/sheets/<int:sheet_id>/", notice.sheet_detail, name="sheet_detail"),
    path("results/sheets/<int:sheet_id>/grid/", results.sheet_grid, name="sheet_grid"),
    path("results/sheets/<int:sheet_id>/save/", results.result_row_save, name="result_row_save"),
    path("results/sheets/<int:sheet_id>/import/", results.ResultsImportView.as_view(), name="results_import"),
    path("results/sheets/<int:sheet_id>/publish/", notice.sheet_publish_view, name="sheet_publish"),
    path("results/sheets/<int:sheet_id>/objections/", notice.objection_create, name="objection_create"),
    path("results/sheets/<int:sheet_id>/end/", notice.sheet_end_view, name="sheet_end"),
    path("results/objections/<int:objection_id>/answer/", notice.objection_answer_view, name="objection_answer"),
    path("results/<int:result_id>/", results.result_detail, name="result_detail"),
    path("results/<int:result_id>/correct/", results.result_correct, name="result_correct"),
]
