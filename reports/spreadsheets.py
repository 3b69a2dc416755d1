"""Each report table as .xlsx: the same rows and the same printed rates as the statistics page."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, ClassVar

from core.spreadsheets import Exporter

from .selectors import ReportFilters, shows_schools
from .tables import CERTIFICATES, EDUCATION, EXAMS, GRADUATION, TRAINING, Table


class ReportExporter(Exporter):
    """params: the page's filters (``ReportFilters.as_params``) and the job's ``owner_id``. A subclass
    names its ``table``, which gives the sheet's title and the file's name."""

    table: ClassVar[Table]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.title, cls.filename = cls.table.title, cls.table.filename

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


def _exporter(table: Table) -> type[ReportExporter]:
    """The exporter of one table: a class of this module, which a job names by its dotted path."""
    name = f"{table.key.capitalize()}Exporter"
    return type(name, (ReportExporter,), {"table": table, "__module__": __name__, "__qualname__": name})


EducationExporter = _exporter(EDUCATION)
TrainingExporter = _exporter(TRAINING)
ExamsExporter = _exporter(EXAMS)
GraduationExporter = _exporter(GRADUATION)
CertificatesExporter = _exporter(CERTIFICATES)

EXPORTERS: dict[str, type[ReportExporter]] = {
    cls.table.key: cls
    for cls in (EducationExporter, TrainingExporter, ExamsExporter, GraduationExporter, CertificatesExporter)
}
