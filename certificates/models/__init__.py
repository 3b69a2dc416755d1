"""The models of certificates, one module per sub-domain; re-exported here so that the app label,
the table names and the migrations stay as they were.

- ``results``: ResultSheet, Result, Objection (成绩, 公示, 异议);
- ``issued``: IssuedCertificate, NumberSequence, ExternalCertificate (发证, 编号, 其他技能证书);
- ``verification``: VerificationLog (证书查验记录).

Histories (result changes, issue/collection/revocation/reissue) are lines of ``core.AuditEntry``.
"""

from .issued import ExternalCertificate, IssuedCertificate, NumberSequence, new_verification_token
from .results import Objection, Result, ResultSheet
from .verification import VerificationLog

__all__ = [
    "ExternalCertificate",
    "IssuedCertificate",
    "NumberSequence",
    "Objection",
    "Result",
    "ResultSheet",
    "VerificationLog",
    "new_verification_token",
]
