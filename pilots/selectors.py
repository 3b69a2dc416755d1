"""Reads of pilots that other apps use."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from .models import Certificate, CertificateLevel


def catalogue_certificates(*, active_only: bool = True) -> QuerySet[Certificate]:
    qs = Certificate.objects.select_related("organisation").prefetch_related(
        Prefetch("levels", queryset=CertificateLevel.objects.order_by("level"))
    )
    return qs.filter(is_active=True) if active_only else qs


def catalogue_levels() -> QuerySet[CertificateLevel]:
    return CertificateLevel.objects.select_related("certificate", "certificate__organisation").order_by(
        "certificate__code", "level"
    )
