"""Reads of issuance (发证): batches with results, the passed results waiting for a number, and one
issued certificate.

Every query goes through the scoped managers: a school sees its own certificates, an organisation
the certificates of its catalogue entries.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from exam_sites.models import Batch

from ..models import IssuedCertificate, Result, ResultSheet

VALID = IssuedCertificate.Status.VALID
PASS = Result.Outcome.PASS
FINAL = ResultSheet.Status.FINAL


def issuance_batches() -> QuerySet[Batch]:
    """Batches with a result sheet, with their passed and issued counts."""
    return (
        Batch.objects.filter(result_sheet__isnull=False)
        .select_related("school", "pilot__certificate__organisation", "result_sheet", "round")
        .annotate(
            passed=Count("result_sheet__results", filter=Q(result_sheet__results__outcome=PASS), distinct=True),
            issued=Count(
                "result_sheet__results__certificates",
                filter=Q(result_sheet__results__certificates__status=VALID),
                distinct=True,
            ),
        )
        .order_by("-created_at", "-id")
    )


def issuance_batch(*, batch_id: int) -> Batch:
    return get_object_or_404(
        Batch.objects.select_related("school", "pilot__certificate__organisation", "round"), pk=batch_id
    )


def batch_sheet(*, batch: Batch) -> ResultSheet | None:
    return ResultSheet.objects.filter(batch=batch).first()


def batch_passed_results(*, batch: Batch) -> QuerySet[Result]:
    """The batch's passed results, each with ``valid_certificates`` (a list of at most one)."""
    return (
        Result.objects.filter(sheet__batch=batch, outcome=PASS)
        .select_related("enrolment__person__school_class", "sheet")
        .prefetch_related(
            Prefetch(
                "certificates",
                queryset=IssuedCertificate.objects.filter(status=VALID),
                to_attr="valid_certificates",
            )
        )
        .order_by("enrolment__person__school_class__code", "enrolment__person__name", "id")
    )


def eligible_results(*, batch_id: int | None = None) -> QuerySet[Result]:
    """Passed results of ended sheets that hold no valid certificate yet."""
    qs = Result.objects.filter(outcome=PASS, sheet__status=FINAL).exclude(certificates__status=VALID)
    if batch_id is not None:
        qs = qs.filter(sheet__batch_id=batch_id)
    return qs


def batch_period(*, batch: Batch) -> str:
    """The assessment period (鉴定时间) of a batch from its sessions' dates, e.g. "2022.5-6"."""
    dates = sorted(batch.sessions.values_list("date", flat=True))
    return period_of_dates(dates)


def period_of_dates(dates: list[date]) -> str:
    if not dates:
        return ""
    first, last = dates[0], dates[-1]
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.year}.{first.month}"
    if first.year == last.year:
        return f"{first.year}.{first.month}-{last.month}"
    return f"{first.year}.{first.month}-{last.year}.{last.month}"


def issued_get(*, issued_id: int) -> IssuedCertificate:
    """One issued certificate of the active tenant (404 for another tenant's)."""
    return get_object_or_404(
        IssuedCertificate.objects.select_related(
            "certificate__organisation", "person", "person__school_class", "school", "replaces"
        ),
        pk=issued_id,
    )
