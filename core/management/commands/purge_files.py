from django.core.management.base import BaseCommand
from django_scopes import scopes_disabled

from core.files import stored_files_purge


class Command(BaseCommand):
    help = "Delete stored files (PDFs, exports, error workbooks) whose retention has passed."

    def handle(self, *args, **options) -> None:
        with scopes_disabled():
            count = stored_files_purge()
        self.stdout.write(f"purged {count} file(s)")
