"""The form behind the "生成结算单" button of a suggestion (organisation and year, posted hidden)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from funding.services.settlements import MAX_YEAR, MIN_YEAR


class SettlementCreateForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("培训评价组织"), queryset=Organisation.objects.order_by("name"))
    year = forms.IntegerField(label=_("年度"), min_value=MIN_YEAR, max_value=MAX_YEAR)
    note = forms.CharField(label=_("备注"), required=False, max_length=500)
