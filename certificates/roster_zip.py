"""One ZIP of collection rosters (考证签领名单): all rosters of a batch, or of a school's year.

Runs in the worker (``certificates.tasks.build_roster_zip``) in the school's scope. Each roster is
the issuance module's own PDF (``issuance_services.roster_pdf``: one per class, certificate and
assessment period), so the ZIP holds exactly what printing them one by one would give.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from core.files import stored_file_create
from core.jobs import JobError
from core.models import StoredFile
from students.models import SchoolClass

from .issuance_selectors import CERT_PREFIX, EXT_PREFIX
from .issuance_services import roster_pdf
from .models import ExternalCertificate, IssuedCertificate

VALID = IssuedCertificate.Status.VALID
UNSAFE = re.compile(r'[\\/:*?"<>|\s]+')


@dataclass(frozen=True)
class RosterSpec:
    class_id: int
    what: str  # "cert:<id>" or "ext:<name>", as the roster form names it
    period: str
    label: str  # the certificate's name, for the file name


def roster_specs_for_batch(*, batch_id: int) -> list[RosterSpec]:
    """One roster per class and assessment period of the batch's valid certificates."""
    rows = (
        IssuedCertificate.objects.filter(
            result__sheet__batch_id=batch_id, status=VALID, person__school_class__isnull=False
        )
        .order_by()
        .values_list("person__school_class_id", "certificate_id", "certificate__name", "assessment_period")
        .distinct()
    )
    return sorted(RosterSpec(c, f"{CERT_PREFIX}{cert}", period, name) for c, cert, name, period in rows)


def roster_specs_for_year(*, year: int) -> list[RosterSpec]:
    """One roster per class, certificate and assessment period of the certificates issued in ``year``
    (1+X certificates and external skill certificates alike)."""
    issued = (
        IssuedCertificate.objects.filter(issued_on__year=year, status=VALID, person__school_class__isnull=False)
        .order_by()
        .values_list("person__school_class_id", "certificate_id", "certificate__name", "assessment_period")
        .distinct()
    )
    external = (
        ExternalCertificate.objects.filter(issued_on__year=year, person__school_class__isnull=False)
        .order_by()
        .values_list("person__school_class_id", "name", "assessment_period")
        .distinct()
    )
    specs = {RosterSpec(c, f"{CERT_PREFIX}{cert}", period, name) for c, cert, name, period in issued}
    specs |= {RosterSpec(c, f"{EXT_PREFIX}{name}", period, name) for c, name, period in external}
    return sorted(specs)


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
