"""Forms of site applications: start one, the paper form with its contacts, rooms and partners, the
reviewer's decision and queue filter."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pilots.models import Level
from pilots.selectors import catalogue_certificates

from ..models import SiteApplication, SiteContact
from ..services.applications import CONTACT_FIELDS, EDITABLE_FIELDS


class ApplicationStartForm(forms.Form):
    certificate = forms.ModelChoiceField(label=_("证书"), queryset=None)
    kind = forms.ChoiceField(
        label=_("申报类型"),
        choices=SiteApplication.Kind.choices,
        initial=SiteApplication.Kind.EXAM_SITE,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["certificate"].queryset = catalogue_certificates(active_only=True)
        self.fields["certificate"].label_from_instance = lambda c: f"{c.name}（{c.organisation.name}）"


TEXTAREA = {"rows": 4}


class ApplicationForm(forms.ModelForm):
    """The paper form's own fields, in its order. Nothing is required on a draft save."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    levels = forms.MultipleChoiceField(
        label=_("申报考核等级"), choices=Level.choices, required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = SiteApplication
        fields = list(EDITABLE_FIELDS)
        widgets = {
            "kind": forms.RadioSelect,
            "profile": forms.Textarea(attrs={"rows": 6}),
            "computers": forms.Textarea(attrs=TEXTAREA),
            "software": forms.Textarea(attrs=TEXTAREA),
            "network": forms.Textarea(attrs=TEXTAREA),
            "organisation_text": forms.Textarea(attrs=TEXTAREA),
            "exam_team": forms.Textarea(attrs=TEXTAREA),
            "rules": forms.Textarea(attrs=TEXTAREA),
            "mechanism": forms.Textarea(attrs=TEXTAREA),
        }
        help_texts = {
            "daily_max": _("提交时检查：不超过场地工位数合计 × 每天考核场次。"),
            "computers": _("如：联想启天 M428，i5/16G/512G SSD，50 台。"),
            "software": _("如：中望CAD 40套（教育版授权）。"),
            "lead_school_name": _("联合申报时填写牵头单位名称。"),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version
        self.fields["sessions_per_day"].min_value = 1
        self.fields["sessions_per_day"].widget.attrs["min"] = 1

    def _post_clean(self) -> None:
        # The model's own validation (full_clean) would treat the open-application constraint and
        # required-on-submit rules as errors of a draft; the service decides instead.
        pass

    def application_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in EDITABLE_FIELDS}


def _text(label: str, **kwargs: Any) -> forms.CharField:
    return forms.CharField(label=label, required=False, **kwargs)


class _CompactForm(forms.Form):
    """A row of a table: small inputs, no labels shown (the table header names the columns)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            css = "form-check-input" if name == "DELETE" else "form-control form-control-sm"
            field.widget.attrs.setdefault("class", css)
            field.widget.attrs.setdefault("aria-label", str(field.label))


class ContactForm(_CompactForm):
    name = _text(_("姓名"), max_length=50)
    title = _text(_("职务"), max_length=50)
    phone = _text(_("电话"), max_length=30)
    mobile = _text(_("手机"), max_length=30)
    email = forms.EmailField(label=_("电子邮箱"), required=False)
    wechat = _text(_("微信号"), max_length=50)


class BaseContactFormSet(forms.BaseFormSet):
    """Exactly the three contacts of the paper form, one per role, in its order."""

    roles = SiteContact.Role.choices

    def by_role(self) -> dict[str, dict[str, str]]:
        return {
            role: {k: form.cleaned_data.get(k, "") for k in CONTACT_FIELDS}
            for (role, _label), form in zip(self.roles, self.forms, strict=False)
        }

    def rows(self) -> list[tuple[str, forms.Form]]:
        return [(str(label), form) for (_role, label), form in zip(self.roles, self.forms, strict=False)]


ContactFormSet = forms.formset_factory(
    ContactForm, formset=BaseContactFormSet, extra=0, min_num=3, max_num=3, validate_max=True
)


class RoomForm(_CompactForm):
    name = _text(_("场地名称"), max_length=100)
    area = forms.DecimalField(label=_("面积（平方米）"), required=False, max_digits=8, decimal_places=2)
    workstations = forms.IntegerField(label=_("工位数"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.errors:
            return data
        name, area, workstations = data.get("name"), data.get("area"), data.get("workstations")
        if not (name or area is not None or workstations is not None):
            return data  # an empty row is ignored
        if not name:
            self.add_error("name", _("请填写场地名称。"))
        if area is None or area <= 0:
            self.add_error("area", _("面积必须大于 0。"))
        if workstations is None or workstations <= 0:
            self.add_error("workstations", _("工位数必须大于 0。"))
        return data


class PartnerForm(_CompactForm):
    name = _text(_("联合单位名称"), max_length=100)
    address = _text(_("地址"), max_length=200)
    contribution = _text(_("承担内容"), max_length=500)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if (data.get("address") or data.get("contribution")) and not data.get("name"):
            self.add_error("name", _("请填写联合单位名称。"))
        return data


class _RowsFormSet(forms.BaseFormSet):
    required_key = "name"

    def rows_data(self) -> list[dict[str, Any]]:
        rows = []
        for form in self.forms:
            if self.can_delete and self._should_delete_form(form):
                continue
            data = form.cleaned_data
            if data.get(self.required_key):
                rows.append({k: v for k, v in data.items() if k != "DELETE"})
        return rows


RoomFormSet = forms.formset_factory(
    RoomForm, formset=_RowsFormSet, extra=2, max_num=50, validate_max=True, can_delete=True
)
PartnerFormSet = forms.formset_factory(
    PartnerForm, formset=_RowsFormSet, extra=1, max_num=20, validate_max=True, can_delete=True
)


class DecisionForm(forms.Form):
    APPROVE, RETURN, REJECT = "approve", "return", "reject"
    action = forms.ChoiceField(
        label=_("审批结果"),
        choices=[(APPROVE, _("批准")), (RETURN, _("退回修改")), (REJECT, _("不予通过"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("审批意见"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("退回修改或不予通过时必填，学校可以看到。"),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class QueueFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("状态"), required=False)
    certificate = forms.ModelChoiceField(label=_("证书"), queryset=None, required=False, empty_label=_("全部证书"))

    def __init__(self, *args: Any, certificates: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        statuses = [s for s in SiteApplication.Status.choices if s[0] != SiteApplication.Status.DRAFT]
        self.fields["status"].choices = [("", _("全部状态")), *statuses]
        self.fields["certificate"].queryset = certificates
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select"
