"""Writes of pilots."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from accounts.models import Organisation

from .models import Certificate, CertificateLevel, Level


@transaction.atomic
def certificate_upsert(
    *,
    code: str,
    name: str,
    organisation: Organisation,
    pass_marks: dict[str, Decimal | int],
    has_theory: bool = True,
    has_practical: bool = True,
) -> Certificate:
    """Create or update a catalogue entry and its levels (``pass_marks``: level -> mark)."""
    certificate, _created = Certificate.objects.update_or_create(
        code=code,
        defaults={"name": name, "organisation": organisation, "has_theory": has_theory, "has_practical": has_practical},
    )
    for level, mark in pass_marks.items():
        if level not in Level.values:
            raise ValueError(level)
        CertificateLevel.objects.update_or_create(certificate=certificate, level=level, defaults={"pass_mark": mark})
    return certificate
