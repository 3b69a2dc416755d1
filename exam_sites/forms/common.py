"""Widgets and labels the scheduling forms share."""

from __future__ import annotations

from typing import Any

from django import forms

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def user_label(user: Any) -> str:
    return user.full_name or user.username
