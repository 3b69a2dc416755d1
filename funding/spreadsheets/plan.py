"""The funding plan as .xlsx (core.spreadsheets.Exporter): the budget, the equipment list and the
performance table, one sheet each, as the plan document prints them."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.spreadsheets import Exporter, ExportSheet
from funding.models import FundingProject
from funding.selectors.budget import ProjectTotals, project_totals
from funding.selectors.procurement import project_procurement
from funding.selectors.projects import project_get
from funding.selectors.targets import MET, NOT_MET, target_actuals

Row = Sequence[Any]


def _local(moment: datetime | None) -> datetime | None:
    """Excel has no time zones: the local wall-clock time the page shows."""
    return None if moment is None else timezone.localtime(moment).replace(tzinfo=None)


class PlanExporter(Exporter):
    """params: project_id. Amounts are written as Decimal (two places), never float."""

    title = gettext_lazy("项目方案")
    filename = "funding-plan.xlsx"

    def sheets(self) -> Iterable[ExportSheet]:
        project = project_get(project_id=self.params["project_id"])
        totals = project_totals(project=project)
        yield ExportSheet(
            title=_("预算表"),
            headers=(
                _("类别"),
                _("子项目"),
                _("建设内容"),
                _("预算金额（元）"),
                _("已支出（元）"),
                _("剩余（元）"),
                _("执行率（%）"),
                _("计算依据"),
            ),
            widths=(24, 24, 36, 16, 16, 16, 12, 44),
            rows=self._budget(totals),
        )
        yield ExportSheet(
            title=_("设备购置清单"),
            headers=(
                _("序号"),
                _("设备名称"),
                _("规格参数"),
                _("单位"),
                _("数量"),
                _("单价（元）"),
                _("金额（元）"),
                _("预算明细"),
            ),
            widths=(8, 24, 44, 8, 8, 14, 16, 40),
            rows=self._procurement(project, totals),
        )
        yield ExportSheet(
            title=_("绩效目标"),
            headers=(
                _("指标"),
                _("说明"),
                _("比较"),
                _("目标值"),
                _("实际值"),
                _("来源"),
                _("完成情况"),
                _("填报人"),
                _("填报时间"),
            ),
            widths=(24, 36, 8, 12, 12, 10, 12, 16, 18),
            rows=self._targets(project),
        )

    def _budget(self, totals: ProjectTotals) -> Iterator[Row]:
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
                    row.basis,
                )
            yield (
                _("%(c)s 小计") % {"c": group.category},
                "",
                "",
                group.budget,
                group.spent,
                group.remaining,
                group.percent_used,
                "",
            )
        yield (_("合计"), "", "", totals.budget, totals.spent, totals.remaining, totals.percent_used, "")
        if totals.declared_total is not None:
            note = (
                _("与明细合计不符，差额 %(d)s 元") % {"d": totals.difference}
                if totals.mismatch
                else _("与明细合计一致")
            )
            yield (_("批复总额"), "", note, totals.declared_total, None, None, None, "")

    def _procurement(self, project: FundingProject, totals: ProjectTotals) -> Iterator[Row]:
        items = list(project_procurement(project=project))
        for number, item in enumerate(items, start=1):
            yield (
                number,
                item.item,
                item.spec,
                item.unit,
                item.quantity,
                item.unit_price,
                item.line_total,
                str(item.budget_line),
            )
        if items:
            yield (_("合计"), "", "", "", None, None, totals.procurement_total, "")

    def _targets(self, project: FundingProject) -> Iterator[Row]:
        statuses = {MET: _("已达成"), NOT_MET: _("未达成")}
        for row in target_actuals(project):
            target = row.target
            yield (
                target.label,
                target.description,
                target.get_comparison_display(),
                target.target,
                row.actual,
                target.get_kind_display(),
                statuses.get(row.status, _("暂无法统计")),
                str(target.reported_by or "") if row.is_reported else "",
                _local(target.reported_at) if row.is_reported else None,
            )
