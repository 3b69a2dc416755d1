"""The models of exam_sites, one module per sub-domain; every model is re-exported here, so that app
labels, table names and migrations stay as they were.

- ``applications``: the site application (考点申报表) with its contacts, rooms and partner units;
- ``sites``: approved exam sites and their rooms, provincial guidance centres;
- ``scheduling``: announcements and rounds, batches, sessions and seats.
"""

from .applications import APPLICATION_PATHS, PartnerUnit, SiteApplication, SiteContact, SiteRoom
from .scheduling import BATCH_PATHS, Announcement, Batch, ExamSession, Round, Seat
from .sites import ExamRoom, ExamSite, GuidanceCentre

__all__ = [
    "APPLICATION_PATHS",
    "BATCH_PATHS",
    "Announcement",
    "Batch",
    "ExamRoom",
    "ExamSession",
    "ExamSite",
    "GuidanceCentre",
    "PartnerUnit",
    "Round",
    "Seat",
    "SiteApplication",
    "SiteContact",
    "SiteRoom",
]
