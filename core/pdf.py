"""The PDF renderer: a Django template to an A4 PDF, only ever in a task.

Templates extend ``pdf/base.html`` (print CSS: A4, margins, header, footer and "第 x 页 共 y 页").
Text is set in "Noto Sans CJK SC". The URL fetcher serves the project's own static files and
small inline images, and nothing else: no http(s), no file://, no large data: URLs.
"""

from __future__ import annotations

import base64
import hashlib
import mimetypes
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from .files import PDF, stored_file_by_digest, stored_file_create
from .models import StoredFile

BASE_URL = "https://pdf.invalid/"
MAX_DATA_URL_BYTES = 256 * 1024


class StaticOnlyFetcher(URLFetcher):
    """Serves ``/static/...`` from the project's own static files and small ``data:image/`` URLs."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols=("https", "data"), allow_redirects=False, timeout=1)

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        if url.startswith("data:"):
            return self._data(url)
        parts = urlsplit(url)
        if f"{parts.scheme}://{parts.netloc}/" != BASE_URL or not parts.path.startswith(settings.STATIC_URL):
            raise ValueError(f"PDF renderer refuses to fetch {url}")
        relative = unquote(parts.path[len(settings.STATIC_URL) :])
        path = self._static_path(relative)
        if path is None:
            raise ValueError(f"no static file {relative}")
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": mime})

    @staticmethod
    def _static_path(relative: str) -> Path | None:
        if ".." in Path(relative).parts:
            return None
        found = finders.find(relative)
        if found:
            return Path(found)
        try:
            candidate = Path(staticfiles_storage.path(relative))
        except NotImplementedError:
            return None
        return candidate if candidate.is_file() else None

    @staticmethod
    def _data(url: str) -> URLFetcherResponse:
        header, _, payload = url.partition(",")
        if not header.startswith("data:image/") or not header.endswith(";base64") or len(payload) > MAX_DATA_URL_BYTES:
            raise ValueError("PDF renderer accepts only small base64 images as data: URLs")
        mime = header[5:].split(";")[0]
        return URLFetcherResponse(url, body=base64.b64decode(payload), headers={"Content-Type": mime})


def html_to_pdf(html: str) -> bytes:
    return HTML(string=html, base_url=BASE_URL, url_fetcher=StaticOnlyFetcher()).write_pdf()


def render_pdf(*, template_name: str, context: dict[str, Any], filename: str, owner_id: int | None) -> StoredFile:
    """Render and keep a PDF for the active tenant; the same input returns the file already made."""
    html = render_to_string(template_name, context)
    digest = hashlib.sha256(f"{template_name}\n{html}".encode()).hexdigest()
    existing = stored_file_by_digest(digest)
    if existing is not None:
        return existing
    return stored_file_create(
        name=filename, content=html_to_pdf(html), content_type=PDF, owner_id=owner_id, digest=digest
    )
