"""The collection roster (考证签领名单) as files: one class's PDF, and many rosters in one ZIP.

Both run in the worker (``certificates.tasks``), in the requester's scope. The ZIP holds each
roster's own PDF (``roster_pdf``), so it holds exactly what printing them one by one would give.
Which certificates a roster lists is decided in ``selectors/rosters.py``.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable

from django.utils.translation import gettext as _

from core.files import stored_file_create
from core.jobs import JobError
from core.models import StoredFile
from core.pdf import render_pdf
from students.models import SchoolClass

from ..selectors.rosters import RosterSpec, roster_document

UNSAFE = re.compile(r'[\\/:*?"<>|\s]+')


def roster_pdf(*, class_id: int, what: str, period: str, owner_id: int | None) -> StoredFile:
    """The A4 collection roster of a class.

    The HTML depends only on the stored rows (no "printed now"), so the same roster renders to the
    same digest and core.pdf returns the file already made; a recorded collection changes it.
    """
    context = roster_document(class_id=class_id, what=what, period=period)
    return render_pdf(
        template_name="certificates/pdf/roster.html",
        context=context,
        filename=f"roster-{context['school_class'].code}.pdf",
        owner_id=owner_id,
    )


def _file_name(index: int, code: str, spec: RosterSpec) -> str:
    parts = [f"{index:03d}", code, spec.label, spec.period]
    return UNSAFE.sub("_", "-".join(p for p in parts if p)) + ".pdf"


def rosters_zip(
    *,
    specs: list[RosterSpec],
    name: str,
    owner_id: int | None,
    progress: Callable[[int, str], None] = lambda percent, message="": None,
) -> StoredFile:
    """Render every roster of ``specs`` and pack them into one ZIP (progress per roster)."""
    if not specs:
        raise JobError(_("没有可打包的签领名单：所选范围内没有有效的已发证书。"))
    codes = dict(SchoolClass.objects.filter(pk__in={s.class_id for s in specs}).values_list("pk", "code"))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for index, spec in enumerate(specs, start=1):
            progress(
                int((index - 1) * 95 / len(specs)), _("正在生成第 %(i)s / %(n)s 份名单") % {"i": index, "n": len(specs)}
            )
            pdf = roster_pdf(class_id=spec.class_id, what=spec.what, period=spec.period, owner_id=owner_id)
            with pdf.file.open("rb") as handle:
                archive.writestr(_file_name(index, codes.get(spec.class_id, str(spec.class_id)), spec), handle.read())
    progress(98, _("正在打包"))
    return stored_file_create(name=name, content=buffer.getvalue(), content_type="application/zip", owner_id=owner_id)
