"""The budget table of a funding project as .xlsx (core.spreadsheets.Exporter)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.spreadsheets import Exporter

from .selectors import project_get, project_totals


class BudgetExporter(Exporter):
    """params: project_id. Amounts are written as Decimal (two places), never float."""

    title = gettext_lazy("预算表")
    filename = "budget.xlsx"
    headers = (
        gettext_lazy("类别"),
        gettext_lazy("子项目"),
        gettext_lazy("建设内容"),
        gettext_lazy("预算金额（元）"),
        gettext_lazy("已支出（元）"),
        gettext_lazy("剩余（元）"),
        gettext_lazy("执行率（%）"),
    )
    widths = (24, 20, 36, 16, 16, 16, 12)

    def iterate_rows(self) -> Iterable[Sequence[Any]]:
        project = project_get(project_id=self.params["project_id"])
        totals = project_totals(project=project)
        for group in totals.categories:
            for row in group.lines:
                line = row.line
                yield (
                    line.category,
                    line.sub_project,
                    line.content,
                    line.amount,
                    row.spent,
                    row.remaining,
                    row.percent_used,
                )
        yield (_("合计"), "", "", totals.budget, totals.spent, totals.remaining, totals.percent_used)
        if totals.declared_total is not None:
            note = _("与明细合计不符，差额 %(d)s 元") % {"d": totals.difference} if totals.mismatch else ""
            yield (_("批复总额"), "", note, totals.declared_total, None, None, None)
