from django.core.management.base import BaseCommand

from core.job_sweep import jobs_sweep


class Command(BaseCommand):
    help = "Send stuck jobs again (queued but never taken, or running without a sign of life), or fail them."

    def handle(self, *args, **options) -> None:
        report = jobs_sweep()
        self.stdout.write(
            f"resent {len(report.resent)}, failed {len(report.failed)}, waiting for the broker {len(report.unsent)}"
        )
