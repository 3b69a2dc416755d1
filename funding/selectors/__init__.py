"""Reads of funding, one module per sub-domain (other apps read funding through these):

- ``projects``: the project list and header, the granted pilots of a project, its change log;
- ``budget``: the budget lines and the computed totals (spent, remaining, execution rate);
- ``exam_fees``: the exam-fee lines a computation would write (quota × the fee in force);
- ``procurement``, ``spending``: the equipment list and the payments of a project;
- ``targets``: performance targets with their actual values measured from the records;
- ``settlements``: the settlement statements, computed from the results each time.
"""
