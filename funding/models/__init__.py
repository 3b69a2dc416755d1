"""Funding's models, one module per sub-domain; this package re-exports them all, so the app label,
the table names and the migrations stay as they were.

- ``projects``: the funding project (专项资金项目) and its status;
- ``budget``: its budget lines (预算明细), typed or computed from a pilot (exam fees);
- ``procurement``: the equipment list (设备购置清单);
- ``spending``: money paid out of a line (支出);
- ``targets``: performance targets (绩效目标) and the reports of reported ones;
- ``settlements``: the exam-fee settlement statement (考核费结算单) of a school and an organisation.

The history of all of them is the one audit log (``core.AuditEntry``, see ``funding.history``).
"""

from .budget import BudgetLine
from .procurement import ProcurementItem
from .projects import FundingProject, ProjectStatus
from .settlements import Settlement
from .spending import Spending
from .targets import Comparison, Metric, PerformanceTarget, TargetKind, TargetReport, _evidence_path

__all__ = [
    "BudgetLine",
    "Comparison",
    "FundingProject",
    "Metric",
    "PerformanceTarget",
    "ProcurementItem",
    "ProjectStatus",
    "Settlement",
    "Spending",
    "TargetKind",
    "TargetReport",
    "_evidence_path",  # named by migrations 0002 and 0003 as funding.models._evidence_path
]
