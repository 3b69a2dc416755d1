"""The students app's spreadsheets, one module per sub-domain:

- ``people``: ``StudentImporter``, ``TraineeImporter`` (through the person rules of the services)
  and ``PersonExporter``;
- ``enrolments``: ``EnrolmentImporter`` (through the one quota rule) and ``EnrolmentExporter``.

The names are re-exported here so that jobs queued under the former module path still run.
"""

from .enrolments import EnrolmentExporter, EnrolmentImporter
from .people import PersonExporter, StudentImporter, TraineeImporter

__all__ = ["EnrolmentExporter", "EnrolmentImporter", "PersonExporter", "StudentImporter", "TraineeImporter"]
