"""How a view shows a service's ValidationError: on the form, or as page messages."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest


def errors_to_form(form: forms.BaseForm, exc: ValidationError) -> None:
    """Every message of ``exc`` as a non-field error of ``form``."""
    for message in exc.messages:
        form.add_error(None, message)


def errors_to_messages(request: HttpRequest, exc: ValidationError) -> None:
    """Every message of ``exc`` as an error message on the next page."""
    for message in exc.messages:
        messages.error(request, message)
