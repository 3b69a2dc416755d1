"""Forms of collection (签领) and of external skill certificates."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import ExternalCertificate
from ..services.issuance import validate_assessment_period
from .issuance import DATE


class CollectForm(forms.Form):
    collected_by = forms.CharField(
        label=_("证书签领人"), max_length=50, help_text=_("本人，或代全班签领的班干部，如 学习委员 张三")
    )
    collected_on = forms.DateField(label=_("签领日期"), widget=DATE, initial=timezone.localdate)


class ClassCollectForm(CollectForm):
    what = forms.ChoiceField(label=_("证书"), required=False)

    field_order = ["what", "collected_by", "collected_on"]

    def __init__(self, *args, certificates: list[tuple[str, str]], **kwargs):
        kwargs.setdefault("auto_id", "collect_%s")  # the roster form on the same page has a "what" too
        super().__init__(*args, **kwargs)
        self.fields["what"].choices = [("", _("全部未签领的证书"))] + certificates


class ExternalCertificateForm(forms.ModelForm):
    class Meta:
        model = ExternalCertificate
        fields = ["name", "issuer", "level", "assessment_period", "issued_on", "number"]
        widgets = {"issued_on": DATE}
        help_texts = {"name": _("例如 机械设计工程师（AutoCAD）"), "level": _("没有等级可不填")}

    def clean_assessment_period(self):
        value = self.cleaned_data["assessment_period"]
        return validate_assessment_period(value) if value else value
