"""Reads of batches, their sessions and seats, and the session list (场次名单).

Batches, sessions and seats are read through their scoped managers: the school's own, or those of
the organisation's certificates.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import StaffQualification, User
from accounts.selectors import qualified_staff, school_members
from core.audit import Line, history
from pilots.models import Pilot, PilotStatus
from students.models import Enrolment

from ..models import Batch, ExamRoom, ExamSession, ExamSite, Seat

PLANNABLE_PILOT_STATUSES = (PilotStatus.APPROVED, PilotStatus.RUNNING)


# --- batches -----------------------------------------------------------------------------------


def batches_visible() -> QuerySet[Batch]:
    return (
        Batch.objects.select_related(
            "school", "pilot", "pilot__certificate", "site", "round", "round__announcement", "created_by"
        )
        .annotate(session_count=Count("sessions", distinct=True), seat_count=Count("seats", distinct=True))
        .order_by("-created_at", "-id")
    )


def batch_get(*, batch_id: int) -> Batch:
    return get_object_or_404(
        Batch.objects.select_related("school", "pilot", "pilot__certificate", "site", "round", "round__announcement"),
        pk=batch_id,
    )


def batch_history(batch: Batch) -> list[Line]:
    """The batch's history, newest first (the scoped log decides who sees it, as for the batch)."""
    return history(batch, newest_first=True)


def plannable_pilots() -> QuerySet[Pilot]:
    """The school's pilots that may be assessed: approved or running."""
    return Pilot.objects.filter(status__in=PLANNABLE_PILOT_STATUSES).select_related("certificate")


def plannable_sites() -> QuerySet[ExamSite]:
    return ExamSite.objects.select_related("certificate").order_by("certificate__code", "name")


def batch_sessions(batch: Batch) -> QuerySet[ExamSession]:
    return (
        ExamSession.objects.filter(batch=batch)
        .select_related("room", "invigilator")
        .annotate(taken=Count("seat_set"))
        .order_by("date", "starts_at", "id")
    )


def site_rooms(site: ExamSite) -> QuerySet[ExamRoom]:
    return ExamRoom.objects.filter(site=site).order_by("id")


def invigilators_for(*, certificate_id: int) -> QuerySet[User]:
    """Staff of the active school holding an invigilator (督考) qualification for the certificate."""
    qualified = qualified_staff(kind=StaffQualification.Kind.INVIGILATOR, certificate_id=certificate_id)
    return qualified.filter(pk__in=school_members().values("pk"))


def teachers_for_batch() -> QuerySet[User]:
    return school_members()


def batch_candidates(batch: Batch) -> QuerySet[Enrolment]:
    """The pilot's enrolled candidates, class by class, with the seat they hold in this batch."""
    return (
        Enrolment.objects.filter(pilot_id=batch.pilot_id)
        .select_related("person", "person__school_class")
        .prefetch_related(
            Prefetch(
                "seats", queryset=Seat.objects.filter(batch=batch).select_related("session"), to_attr="batch_seats"
            )
        )
        .order_by("person__school_class__code", "person__name", "id")
    )


# --- sessions and seats ------------------------------------------------------------------------


def session_get(*, session_id: int) -> ExamSession:
    return get_object_or_404(
        ExamSession.objects.select_related(
            "batch",
            "batch__pilot",
            "batch__pilot__certificate",
            "batch__site",
            "batch__round",
            "batch__school",
            "room",
            "invigilator",
        ),
        pk=session_id,
    )


def session_seats(session: ExamSession) -> QuerySet[Seat]:
    return (
        Seat.objects.filter(session=session)
        .select_related("enrolment", "enrolment__person", "enrolment__person__school_class")
        .order_by("number", "id")
    )


def site_day_count(*, site: ExamSite, day: date) -> int:
    """Candidates seated at the site on that day, over every batch."""
    return Seat.objects.filter(session__batch__site=site, session__date=day).count()


@dataclass(frozen=True)
class ListRow:
    number: int
    name: str
    gender: str
    id_number: str  # masked
    school_class: str
    kind: str
    is_retake: bool


def session_list_rows(session: ExamSession) -> list[ListRow]:
    """The rows of the session list (场次名单): seat number, name and the masked ID number."""
    rows = []
    for seat in session_seats(session):
        person = seat.enrolment.person
        rows.append(
            ListRow(
                number=seat.number,
                name=person.name,
                gender=person.get_gender_display() if person.gender else "",
                id_number=person.masked_id_number,
                school_class=person.school_class.code if person.school_class_id else "",
                kind=person.get_kind_display(),
                is_retake=seat.is_retake,
            )
        )
    return rows


def session_list_document(session: ExamSession) -> dict[str, Any]:
    """Everything the session list page, its PDF and its spreadsheet print."""
    batch = session.batch
    rows = session_list_rows(session)
    return {
        "session": session,
        "batch": batch,
        "pilot": batch.pilot,
        "certificate": batch.pilot.certificate,
        "site": batch.site,
        "rows": rows,
        "seated": len(rows),
        "free": max(session.seats - len(rows), 0),
    }
