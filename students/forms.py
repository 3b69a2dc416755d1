from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from .models import Major, Person, PersonKind, SchoolClass
from .services import PERSON_FIELDS, RULE_FIELDS, person_rules


def scoped_formfield(field: models.Field, **kwargs):
    """Foreign keys to tenant models start with an empty choice list: the real one is set in
    ``__init__`` (a class-level query on a tenant model would raise ScopeError at import)."""
    if isinstance(field, models.ForeignKey) and hasattr(field.related_model._default_manager, "tenant_paths"):
        kwargs["queryset"] = field.related_model.objects.none()
    return field.formfield(**kwargs)


class PersonForm(forms.ModelForm):
    """Shown only to users allowed to edit people: the one place with the full ID number and phone."""

    class Meta:
        model = Person
        formfield_callback = scoped_formfield
        fields = list(PERSON_FIELDS)
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}
        help_texts = {"school_class": _("学生填写"), "employer": _("社会学员填写"), "phone": _("社会学员填写")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school_class"].queryset = SchoolClass.objects.order_by("-enrolment_year", "code")
        self.fields["major"].queryset = Major.objects.order_by("name")
        self.fields["id_number"].widget.attrs["autocomplete"] = "off"

    def clean(self):
        """The person rules the service and the importers apply (``students.services.person_rules``)."""
        data = super().clean()
        values = {field: data[field] for field in RULE_FIELDS if field in data}
        problems = person_rules(values)
        for field in ("id_number", "phone"):
            if field in values:
                data[field] = values[field]
        for field, messages in problems.items():
            self.add_error(field, messages)
        return data


class PersonSearchForm(forms.Form):
    name = forms.CharField(label=_("姓名"), required=False, max_length=50)
    school_class = forms.ModelChoiceField(label=_("班级"), queryset=SchoolClass.objects.none(), required=False)
    id_number = forms.CharField(label=_("身份证号（完整）"), required=False, max_length=18)
    kind = forms.ChoiceField(label=_("类别"), choices=[("", _("全部"))] + PersonKind.choices, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school_class"].queryset = SchoolClass.objects.order_by("-enrolment_year", "code")

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "name": data.get("name") or "",
            "school_class_id": data["school_class"].pk if data.get("school_class") else None,
            "id_number": data.get("id_number") or "",
            "kind": data.get("kind") or "",
        }


class MajorForm(forms.ModelForm):
    class Meta:
        model = Major
        fields = ["name"]

    def validate_unique(self):
        """The school is set by the service; its constraint answers duplicates."""


class SchoolClassForm(forms.ModelForm):
    class Meta:
        model = SchoolClass
        formfield_callback = scoped_formfield
        fields = ["code", "major", "enrolment_year"]
        help_texts = {"code": _("例如 20数控1")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["major"].queryset = Major.objects.order_by("name")

    def validate_unique(self):
        """The school is set by the service; its constraint answers duplicates."""


class EnrolPersonForm(forms.Form):
    id_number = forms.CharField(label=_("身份证号"), max_length=18)


class EnrolClassForm(forms.Form):
    school_class = forms.ModelChoiceField(label=_("班级"), queryset=SchoolClass.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school_class"].queryset = SchoolClass.objects.order_by("-enrolment_year", "code")
