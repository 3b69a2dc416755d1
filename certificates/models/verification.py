"""The log of public verifications (证书查验)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.scoping import TenantManager

from .issued import IssuedCertificate


class VerificationLog(models.Model):
    """Every public verification: when, which certificate (if one matched), found or not."""

    certificate = models.ForeignKey(
        IssuedCertificate, null=True, blank=True, on_delete=models.SET_NULL, related_name="verifications"
    )
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    found = models.BooleanField()
    via_token = models.BooleanField(default=False)
    # A salted hash of the client address, to see abuse without keeping addresses.
    client_hash = models.CharField(max_length=64, blank=True)

    objects = TenantManager(school="certificate__school", organisation="certificate__certificate__organisation")

    class Meta:
        verbose_name = _("证书查验记录")
        verbose_name_plural = _("证书查验记录")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {'✓' if self.found else '✗'}"
