"""Each report table as .xlsx: the same rows and the same printed rates as the statistics page."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, ClassVar

from core.spreadsheets import Exporter

from .selectors import ReportFilters, shows_schools
from .tables import CERTIFICATES, EDUCATION, EXAMS, GRADUATION, TRAINING, Table


class ReportExporter(Exporter):
    """params: the page's filters (``ReportFilters.as_params``) and the job's ``owner_id``."""

    table: ClassVar[Table]

    def __init__(self, **params: Any) -> None:
        super().__init__(**params)
        self.filters = ReportFilters.from_params(params)
        self.schools = shows_schools()
        self.headers = tuple(self.table.headers(self.schools))
        extra = len(self.headers) - len(self.table.widths)
        self.widths = (28,) * extra + tuple(self.table.widths)

    def iterate_rows(self) -> Iterable[Sequence[Any]]:
        for row in self.table.rows(self.filters):
            yield [
                str(cell) if not isinstance(cell, (int, str)) else cell for cell in self.table.cells(row, self.schools)
            ]


class EducationExporter(ReportExporter):
    table = EDUCATION
    title = EDUCATION.title
    filename = "report-1-education-pilots.xlsx"


class TrainingExporter(ReportExporter):
    table = TRAINING
    title = TRAINING.title
    filename = "report-2-training-pilots.xlsx"


class ExamsExporter(ReportExporter):
    table = EXAMS
    title = EXAMS.title
    filename = "report-3-exams-by-year.xlsx"


class GraduationExporter(ReportExporter):
    table = GRADUATION
    title = GRADUATION.title
    filename = "report-4-dual-certificates.xlsx"


class CertificatesExporter(ReportExporter):
    table = CERTIFICATES
    title = CERTIFICATES.title
    filename = "report-5-certificates-by-year.xlsx"


EXPORTERS: dict[str, type[ReportExporter]] = {
    cls.table.key: cls
    for cls in (EducationExporter, TrainingExporter, ExamsExporter, GraduationExporter, CertificatesExporter)
}
