"""Writes of funding, one module per sub-domain; every write of an entity stands in its module:

- ``projects``: create and edit a project's header, render its plan as a PDF;
- ``budget``: create, correct and delete a typed budget line;
- ``exam_fees``: write the exam-fee lines computed from the pilots (never typed);
- ``procurement``: create, correct and delete an equipment row;
- ``spending``: record a payment, remove (撤销) one with a reason;
- ``targets``: create a performance target, report a reported target's value;
- ``settlements``: open a settlement statement.

Money arrives as Decimal and is kept to the fen. Every write names its ``actor`` and records one
audit line in its own transaction (``funding.history``); a row saved with a version is checked and
bumped through ``core.concurrency``, so a stale edit is refused, never silently saved.
"""
