from django.urls import path  # noqa: F401

app_name = "certificates"

urlpatterns: list = []

# Verification (public), QR codes, the check log, revocation and reissue (issue 10).
from . import verification_views as _verification  # noqa: E402

urlpatterns += [
    path("verify/", _verification.verify, name="verify"),
    path("v/<str:token>/", _verification.verify_token, name="verify_token"),
    path("verifications/", _verification.verification_log, name="verification_log"),
    path("verifications/certificates/", _verification.verification_certificates, name="verification_certificates"),
    path(
        "issued/<int:issued_id>/verification/",
        _verification.verification_certificate,
        name="verification_certificate",
    ),
    path("issued/<int:issued_id>/qr.svg", _verification.verification_qr, name="verification_qr"),
    path("issued/<int:issued_id>/revoke/", _verification.certificate_revoke_view, name="certificate_revoke"),
    path("issued/<int:issued_id>/reissue/", _verification.certificate_reissue_view, name="certificate_reissue"),
]

# Issuance, collection, external certificates and rosters (issue 9).
from . import issuance_views as _issuance  # noqa: E402

urlpatterns += [
    path("issuance/", _issuance.issuance_list, name="issuance_list"),
    path("issuance/import/", _issuance.NumberImportView.as_view(), name="issuance_import"),
    path("issuance/batches/<int:issue_batch_id>/", _issuance.issuance_batch_detail, name="issuance_batch"),
    path("issuance/batches/<int:issue_batch_id>/generate/", _issuance.issuance_generate, name="issuance_generate"),
    path("issuance/batches/<int:issue_batch_id>/record/", _issuance.issuance_record, name="issuance_record"),
    path("people/<int:person_id>/", _issuance.person_certificates_view, name="person"),
    path("people/<int:person_id>/external/new/", _issuance.external_create, name="external_create"),
    path("issued/<int:issued_id>/collect/", _issuance.issued_collect, name="issued_collect"),
    path("external/", _issuance.external_list, name="external_list"),
    path("external/import/", _issuance.ExternalImportView.as_view(), name="external_import"),
    path("external/<int:external_id>/collect/", _issuance.external_collect, name="external_collect"),
    path("classes/", _issuance.class_list, name="class_list"),
    path("classes/<int:class_id>/", _issuance.class_detail, name="class_detail"),
    path("classes/<int:class_id>/collect/", _issuance.class_collect_view, name="class_collect"),
    path("classes/<int:class_id>/roster.pdf", _issuance.roster_pdf, name="roster_pdf"),
    path("classes/<int:class_id>/roster.xlsx", _issuance.RosterExportView.as_view(), name="roster_xlsx"),
]

# Results: the grid, Excel, 登记中 → 公示中 → 已结束 with objections, corrections with history (issue 8).
from . import results_views as _results  # noqa: E402

urlpatterns += [
    path("results/", _results.results_index, name="results_index"),
    path("results/open/", _results.sheet_open, name="sheet_open"),
    path("results/sheets/<int:sheet_id>/", _results.sheet_detail, name="sheet_detail"),
    path("results/sheets/<int:sheet_id>/grid/", _results.sheet_grid, name="sheet_grid"),
    path("results/sheets/<int:sheet_id>/save/", _results.result_row_save, name="result_row_save"),
    path("results/sheets/<int:sheet_id>/import/", _results.ResultsImportView.as_view(), name="results_import"),
    path("results/sheets/<int:sheet_id>/publish/", _results.sheet_publish_view, name="sheet_publish"),
    path("results/sheets/<int:sheet_id>/objections/", _results.objection_create, name="objection_create"),
    path("results/sheets/<int:sheet_id>/end/", _results.sheet_end_view, name="sheet_end"),
    path("results/objections/<int:objection_id>/answer/", _results.objection_answer_view, name="objection_answer"),
    path("results/<int:result_id>/", _results.result_detail, name="result_detail"),
    path("results/<int:result_id>/correct/", _results.result_correct, name="result_correct"),
]

# All rosters of a batch or a school's year in one ZIP (issue 10).
urlpatterns += [path("rosters/zip/", _verification.roster_zip, name="roster_zip")]
