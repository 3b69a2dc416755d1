"""Reads of public verification (证书查验), QR codes and the check log.

The public page has no tenant: nobody is logged in. ``certificate_for_verification`` and
``certificate_for_token`` are the two deliberate cross-tenant reads of this module: they read the
base manager, and only by an exact certificate number plus the holder's exact name, or by the exact
unguessable token, so they can never list certificates. Everything else goes through the scoped
managers.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

import segno
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.urls import reverse

from core.audit import Line, history
from core.masking import mask_name

from ..models import IssuedCertificate, VerificationLog
from ..numbering import normalise_number

# Error correction "M" (15%): survives a crease or a stamp on the printed certificate.
QR_ERROR = "m"


def normalise_name(value: str) -> str:
    return "".join((value or "").split())


@dataclass(frozen=True)
class VerificationAnswer:
    """What the public page may say about a certificate: nothing else about the person."""

    status: str
    status_label: str
    number: str
    certificate_name: str
    organisation_name: str
    level_label: str
    issued_on: date
    school_name: str
    holder_masked: str


@dataclass(frozen=True)
class Lookup:
    """A verification's outcome: ``answer`` only when number and name both match.

    ``certificate`` is the certificate the number alone names (when exactly one does), kept for the
    check log so a school sees attempts on its numbers; it never reaches the public page.
    """

    answer: VerificationAnswer | None
    certificate: IssuedCertificate | None


def _public_queryset() -> QuerySet[IssuedCertificate]:
    # Deliberate cross-tenant read (see the module docstring): exact-match filters only.
    return IssuedCertificate._base_manager.select_related("certificate__organisation", "school", "person")


def answer_for(issued: IssuedCertificate) -> VerificationAnswer:
    return VerificationAnswer(
        status=issued.status,
        status_label=str(issued.get_status_display()),
        number=issued.number,
        certificate_name=issued.certificate.name,
        organisation_name=issued.certificate.organisation.name,
        level_label=str(issued.get_level_display()),
        issued_on=issued.issued_on,
        school_name=issued.school.name,
        holder_masked=mask_name(issued.person.name),
    )


def certificate_for_verification(*, number: str, name: str) -> Lookup:
    """Exact number (case-insensitive after normalising) and exact holder name, or nothing."""
    # iexact escapes LIKE wildcards, and the form allows letters, digits and hyphens only.
    candidates = list(_public_queryset().filter(number__iexact=normalise_number(number))[:5])
    wanted = normalise_name(name)
    for issued in candidates:
        if normalise_name(issued.person.name) == wanted:
            return Lookup(answer=answer_for(issued), certificate=issued)
    return Lookup(answer=None, certificate=candidates[0] if len(candidates) == 1 else None)


def certificate_for_token(*, token: str) -> Lookup:
    issued = _public_queryset().filter(verification_token=token).first() if token else None
    return Lookup(answer=answer_for(issued) if issued else None, certificate=issued)


# --- QR codes ----------------------------------------------------------------------------------


def verification_url(*, issued: IssuedCertificate, request: HttpRequest) -> str:
    """The absolute token URL a certificate's QR code opens."""
    return request.build_absolute_uri(reverse("certificates:verify_token", kwargs={"token": issued.verification_token}))


def qr_code(url: str) -> segno.QRCode:
    return segno.make(url, error=QR_ERROR, micro=False)


def qr_svg(url: str) -> bytes:
    """The QR code of ``url`` as a standalone SVG, rendered locally (no external service)."""
    buffer = io.BytesIO()
    qr_code(url).save(buffer, kind="svg", scale=5, border=2, dark="#000", light="#fff")
    return buffer.getvalue()


# --- certificates, their history and their checks, for the school and the organisation ----------


def issued_visible(*, query: str = "") -> QuerySet[IssuedCertificate]:
    """The active tenant's issued certificates (the scoped manager decides), optionally searched."""
    qs = IssuedCertificate.objects.select_related("certificate", "person", "school").order_by("-issued_on", "-id")
    query = (query or "").strip()
    if query:
        qs = qs.filter(Q(number__iexact=query) | Q(person__name__icontains=query))
    return qs


def issued_replacement(*, issued: IssuedCertificate) -> IssuedCertificate | None:
    """The certificate that replaced ``issued`` (for its own school and organisation only)."""
    return IssuedCertificate.objects.filter(replaces=issued).first()


def certificate_history(*, issued: IssuedCertificate) -> list[Line]:
    """Issued, collected, revoked, replaced, reissued: the certificate's lines of the audit log."""
    return history(issued)


def verification_logs(*, issued: IssuedCertificate | None = None) -> QuerySet[VerificationLog]:
    """The check log of the active tenant's certificates (newest first)."""
    qs = VerificationLog.objects.select_related("certificate__certificate", "certificate__person")
    if issued is not None:
        qs = qs.filter(certificate=issued)
    return qs.order_by("-at", "-id")
