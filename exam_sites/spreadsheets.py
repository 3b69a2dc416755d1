"""The session list (场次名单) as .xlsx: one row per seat, ID numbers masked."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.spreadsheets import Exporter

from .selectors.batches import session_get, session_list_document


class SessionListExporter(Exporter):
    """params: ``session_id`` (read in the requester's tenant scope: another tenant's session is not found)."""

    title = gettext_lazy("场次名单")
    headers = (
        gettext_lazy("座位号"),
        gettext_lazy("姓名"),
        gettext_lazy("性别"),
        gettext_lazy("身份证号"),
        gettext_lazy("班级"),
        gettext_lazy("类别"),
        gettext_lazy("证书"),
        gettext_lazy("等级"),
        gettext_lazy("日期"),
        gettext_lazy("时间"),
        gettext_lazy("考点"),
        gettext_lazy("考场"),
        gettext_lazy("督考"),
        gettext_lazy("熟悉场地日"),
    )
    widths = (8, 12, 6, 22, 14, 10, 20, 8, 12, 14, 24, 18, 12, 12)

    def __init__(self, **params: Any) -> None:
        super().__init__(**params)
        self.filename = f"session-list-{int(params['session_id'])}.xlsx"

    def iterate_rows(self) -> Iterable[Sequence[Any]]:
        session = session_get(session_id=int(self.params["session_id"]))
        document = session_list_document(session)
        batch = document["batch"]
        invigilator = session.invigilator.full_name or session.invigilator.username
        familiarisation = f"{batch.familiarisation_on:%Y-%m-%d}" if batch.familiarisation_on else ""
        for row in document["rows"]:
            yield (
                row.number,
                row.name,
                row.gender,
                row.id_number,
                row.school_class,
                row.kind + (f"（{_('补考')}）" if row.is_retake else ""),
                document["certificate"].name,
                batch.pilot.get_level_display(),
                f"{session.date:%Y-%m-%d}",
                f"{session.starts_at:%H:%M}–{session.ends_at:%H:%M}",
                document["site"].name,
                session.room.name,
                invigilator,
                familiarisation,
            )
