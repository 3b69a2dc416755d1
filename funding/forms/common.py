"""What several funding forms share."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from funding.models import BudgetLine, FundingProject

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def money_field(label: Any, *, minimum: str = "0.01", required: bool = True) -> forms.DecimalField:
    return forms.DecimalField(
        label=label, max_digits=14, decimal_places=2, min_value=Decimal(minimum), required=required
    )


def version_field() -> forms.IntegerField:
    """The version of the row as the form was rendered (hidden)."""
    return forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class VersionForm(forms.Form):
    """A delete confirmed: the version of the row the confirmation page showed."""

    version = version_field()


class ProjectLinesForm(forms.Form):
    """A form whose budget line is chosen among the project's lines (queryset set per project)."""

    def __init__(self, *args: Any, project: FundingProject, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["budget_line"].queryset = BudgetLine.objects.filter(project=project).order_by(
            "category", "sub_project", "id"
        )
