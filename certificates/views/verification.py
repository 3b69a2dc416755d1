"""Public verification (no login), the QR code, a certificate's history and checks, revocation and
reissue.

The two public views declare no permission (they are the project's only views anonymous visitors
reach, besides logging in) and read through the exact-match selectors only.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import roles
from core.feedback import run_action
from core.permissions import permission_required

from ..forms.verification import ReissueForm, RevokeForm, VerificationForm
from ..selectors.issuance import issued_get
from ..selectors.verification import (
    Lookup,
    certificate_for_token,
    certificate_for_verification,
    certificate_history,
    issued_replacement,
    issued_visible,
    qr_svg,
    verification_logs,
    verification_url,
)
from ..services.issuance import certificate_reissue, certificate_revoke
from ..services.verification import client_hash, verification_attempt_allowed, verification_log_create

PAGE_SIZE = 50
TEMPLATE = "certificates/verification/verify.html"


def _too_many(request: HttpRequest) -> HttpResponse:
    return render(request, TEMPLATE, {"form": VerificationForm(), "limited": True}, status=429)


def _answer(request: HttpRequest, lookup: Lookup, *, via_token: bool) -> HttpResponse:
    # One answer for "unknown number" and "wrong name": same template, same text, same status.
    context = {"form": VerificationForm(), "checked": True, "answer": lookup.answer, "via_token": via_token}
    return render(request, TEMPLATE, context)


@never_cache
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """The public form: certificate number and the holder's name."""
    if request.method != "POST":
        return render(request, TEMPLATE, {"form": VerificationForm()})
    form = VerificationForm(request.POST)
    if not form.is_valid():
        return render(request, TEMPLATE, {"form": form}, status=400)
    client = client_hash(request)
    if not verification_attempt_allowed(client=client):
        return _too_many(request)
    lookup = certificate_for_verification(number=form.cleaned_data["number"], name=form.cleaned_data["name"])
    verification_log_create(
        certificate=lookup.certificate, found=lookup.answer is not None, via_token=False, client=client
    )
    return _answer(request, lookup, via_token=False)


@never_cache
@require_GET
def verify_token(request: HttpRequest, token: str) -> HttpResponse:
    """Where a certificate's QR code leads: the same masked answer, without typing anything."""
    client = client_hash(request)
    if not verification_attempt_allowed(client=client):
        return _too_many(request)
    lookup = certificate_for_token(token=token[:64])
    verification_log_create(
        certificate=lookup.certificate, found=lookup.answer is not None, via_token=True, client=client
    )
    return _answer(request, lookup, via_token=True)


verify.permission = None  # type: ignore[attr-defined]  # public: see the module docstring
verify_token.permission = None  # type: ignore[attr-defined]


# --- the school's and the organisation's pages -------------------------------------------------


@permission_required(roles.ISSUE_CERTIFICATES)
def verification_log(request: HttpRequest) -> HttpResponse:
    """The check log of the active school's or organisation's certificates."""
    page = Paginator(verification_logs(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "certificates/verification/log.html", {"page": page})


@permission_required(roles.ISSUE_CERTIFICATES)
def verification_certificates(request: HttpRequest) -> HttpResponse:
    """Issued certificates with their verification status, QR code and history one click away."""
    query = request.GET.get("q", "")[:50]
    page = Paginator(issued_visible(query=query), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "q": query, "query": urlencode({"q": query}) if query else ""}
    return render(request, "certificates/verification/certificates.html", context)


def _issued(request: HttpRequest, issued_id: int):
    if request.tenant is None:  # a user with no membership acts for no tenant: nothing to find
        raise Http404
    return issued_get(issued_id=issued_id)


def _certificate_page(request: HttpRequest, issued_id: int, status: int = 200, **forms) -> HttpResponse:
    issued = _issued(request, issued_id)
    can_act = request.tenant.has(roles.REVIEW) and issued.status == issued.Status.VALID
    context = {
        "issued": issued,
        "replacement": issued_replacement(issued=issued),
        "history": certificate_history(issued=issued),
        "logs": verification_logs(issued=issued)[:20],
        "token_url": verification_url(issued=issued, request=request),
        "can_act": can_act,
        "revoke_form": forms.get("revoke_form") or RevokeForm(),
        "reissue_form": forms.get("reissue_form") or ReissueForm(),
    }
    return render(request, "certificates/verification/certificate.html", context, status=status)


@permission_required(None)
def verification_certificate(request: HttpRequest, issued_id: int) -> HttpResponse:
    """One certificate's QR code, verification link, history and checks. The scoped manager decides
    who finds it: its school, its organisation (and platform staff)."""
    return _certificate_page(request, issued_id)


@permission_required(None)
def verification_qr(request: HttpRequest, issued_id: int) -> HttpResponse:
    """The certificate's QR code (SVG, rendered locally) encoding its token URL."""
    issued = _issued(request, issued_id)
    response = HttpResponse(qr_svg(verification_url(issued=issued, request=request)), content_type="image/svg+xml")
    if request.GET.get("download"):
        response["Content-Disposition"] = f'attachment; filename="qr-{issued.pk}.svg"'
    response["Cache-Control"] = "private, max-age=3600"
    return response


@permission_required(roles.REVIEW)
@require_POST
def certificate_revoke_view(request: HttpRequest, issued_id: int) -> HttpResponse:
    issued = issued_get(issued_id=issued_id)
    form = RevokeForm(request.POST)
    if form.is_valid():
        reason = form.cleaned_data["reason"]
        revoked = run_action(
            request,
            lambda: certificate_revoke(issued=issued, actor=request.user, reason=reason),
            _("证书 %(number)s 已撤销。") % {"number": issued.number},
        )
        if revoked is not None:
            return redirect("certificates:verification_certificate", issued_id=issued.pk)
    return _certificate_page(request, issued_id, status=400, revoke_form=form)


@permission_required(roles.REVIEW)
@require_POST
def certificate_reissue_view(request: HttpRequest, issued_id: int) -> HttpResponse:
    issued = issued_get(issued_id=issued_id)
    form = ReissueForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        new = run_action(
            request,
            lambda: certificate_reissue(issued=issued, actor=request.user, **data),
            lambda new: _("已补发证书，新编号 %(number)s。") % {"number": new.number},
        )
        if new is not None:
            return redirect("certificates:verification_certificate", issued_id=new.pk)
    return _certificate_page(request, issued_id, status=400, reissue_form=form)
