"""The project's header: created, and edited with its version."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from funding.models import FundingProject

from .common import DATE, version_field


class ProjectForm(forms.ModelForm):
    class Meta:
        model = FundingProject
        fields = (
            "name",
            "source",
            "year",
            "document_number",
            "start_date",
            "end_date",
            "status",
            "declared_total",
            "necessity",
            "feasibility",
            "benefits",
            "safeguards",
        )
        widgets = {
            "start_date": DATE,
            "end_date": DATE,
            "necessity": forms.Textarea(attrs={"rows": 4}),
            "feasibility": forms.Textarea(attrs={"rows": 4}),
            "benefits": forms.Textarea(attrs={"rows": 4}),
            "safeguards": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {"declared_total": _("批复文件中的总额；预算明细合计与之不符时页面会提示。")}


class ProjectEditForm(ProjectForm):
    """The header edited; ``version`` is the project's as the form was rendered."""

    version = version_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version
