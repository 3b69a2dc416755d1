"""Read-only figures over all apps, for dashboards and the report tables.

Every figure is computed from the records with aggregate queries (``values().annotate(...)``): the
number of queries of a table never depends on how many students, enrolments or results there are.
The tenant managers scope every query: a school sees its own records, an organisation those of its
certificates across all schools, the platform everything.

- ``counting``: the filters (``ReportFilters``) and the building blocks every figure is counted with;
- ``statistics``: the rows of the five report tables;
- ``dashboards``: each role's key figures and chart data on its home page.

Definitions (the pages print them under each table):

- **enrolled** (报名人数): enrolments in granted pilots (approved, running or finished);
- **assessed** (鉴定人数 / 考证人数): distinct enrolments with at least one result whose outcome is
  pass or fail in a result sheet that is published (in notice) or ended. Absentees and results still
  being entered are not assessed; a candidate who was absent and sat a retake is assessed; a
  candidate counts once however many attempts they made;
- **passed** (通过人数): assessed enrolments with a pass in such a sheet, first attempt or retake,
  counted once;
- **certified** (取证人数): enrolments holding a valid (not revoked, not replaced) issued 1+X
  certificate from one of their results;
- **graduates of 届 N**: students whose expected graduation year is N; **with a skill certificate**:
  those holding at least one valid 1+X certificate or any external skill certificate, counted once.
"""

from .counting import ReportFilters, shows_schools
from .dashboards import dashboard, home_figures
from .statistics import (
    GraduationRow,
    PilotYearRow,
    TrainingPilotRow,
    YearRow,
    dual_certificates,
    education_pilots,
    exams_by_year,
    report_certificates,
    training_pilots,
)

__all__ = [
    "GraduationRow",
    "PilotYearRow",
    "ReportFilters",
    "TrainingPilotRow",
    "YearRow",
    "dashboard",
    "dual_certificates",
    "education_pilots",
    "exams_by_year",
    "home_figures",
    "report_certificates",
    "shows_schools",
    "training_pilots",
]
