from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from .models import School, StaffQualification


class LoginForm(AuthenticationForm):
    username = forms.CharField(label=_("用户名"), widget=forms.TextInput(attrs={"autofocus": True}))
    password = forms.CharField(label=_("密码"), strip=False, widget=forms.PasswordInput)


class SchoolForm(forms.ModelForm):
    class Meta:
        model = School
        fields = ["name", "address", "kind", "founded_year", "is_pilot_school", "profile"]
        widgets = {"profile": forms.Textarea(attrs={"rows": 8})}


class StaffQualificationForm(forms.ModelForm):
    class Meta:
        model = StaffQualification
        fields = ["user", "kind", "certificate", "obtained_on", "document_number"]
        widgets = {"obtained_on": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, users, **kwargs):
        super().__init__(*args, **kwargs)
        # Set per request: the school's own staff come from the scoped memberships.
        self.fields["user"].queryset = users
        self.fields["certificate"].queryset = self.fields["certificate"].queryset.filter(is_active=True)
