"""Forms of public verification, revocation and reissue (补证)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..numbering import NUMBER_CHARS, normalise_number


def clean_certificate_number(value: str) -> str:
    """Full-width to half-width, spaces dropped, upper case; then letters, digits and hyphens only
    (no wildcards): the look-up is an exact match, so a fragment finds nothing."""
    number = normalise_number(value)
    if not NUMBER_CHARS.fullmatch(number):
        raise forms.ValidationError(_("请输入完整的证书编号（4 到 40 位字母、数字或连字符）。"))
    return number


class VerificationForm(forms.Form):
    number = forms.CharField(
        label=_("证书编号"),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    name = forms.CharField(label=_("持证人姓名"), max_length=50, widget=forms.TextInput(attrs={"autocomplete": "off"}))

    def clean_number(self) -> str:
        return clean_certificate_number(self.cleaned_data["number"])

    def clean_name(self) -> str:
        name = "".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(_("请输入持证人姓名。"))
        return name


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("撤销原因"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("auto_id", "revoke_%s")  # shares a page with ReissueForm: distinct ids
        super().__init__(*args, **kwargs)


class ReissueForm(forms.Form):
    number = forms.CharField(
        label=_("新证书编号"),
        max_length=40,
        help_text=_("补发证书的新编号，同一证书内不得重复。"),
    )
    issued_on = forms.DateField(
        label=_("补发日期"), widget=forms.DateInput(attrs={"type": "date"}), initial=timezone.localdate
    )
    reason = forms.CharField(label=_("补证原因"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("auto_id", "reissue_%s")
        super().__init__(*args, **kwargs)

    def clean_number(self) -> str:
        return clean_certificate_number(self.cleaned_data["number"])
