"""The collection roster (考证签领名单) of a class as .xlsx: the same rows as the PDF."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.utils.translation import gettext_lazy

from core.spreadsheets import Exporter

from ..selectors.rosters import roster_document


class RosterExporter(Exporter):
    """The collection roster (考证签领名单) of a class as .xlsx (params: class_id, what, period)."""

    title = gettext_lazy("考证签领名单")
    filename = "roster.xlsx"
    headers = (
        gettext_lazy("序号"),
        gettext_lazy("班号"),
        gettext_lazy("姓名"),
        gettext_lazy("工种"),
        gettext_lazy("等级"),
        gettext_lazy("鉴定时间"),
        gettext_lazy("发证日期"),
        gettext_lazy("证书签领人"),
    )
    widths = (6, 12, 10, 28, 8, 12, 12, 16)

    def _document(self) -> dict:
        if not hasattr(self, "_doc"):
            self._doc = roster_document(
                class_id=self.params["class_id"], what=self.params.get("what", ""), period=self.params.get("period", "")
            )
        return self._doc

    def count(self) -> int:
        return len(self._document()["rows"])

    def iterate_rows(self) -> Iterable[Sequence[Any]]:
        for index, row in enumerate(self._document()["rows"], start=1):
            yield (
                index,
                row.class_code,
                row.name,
                row.certificate,
                row.level,
                row.period,
                row.issued_on.strftime("%Y.%m.%d") if row.issued_on else "",
                row.collected_by,
            )
