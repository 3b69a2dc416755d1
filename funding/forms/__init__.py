"""Forms of funding's pages, one module per sub-domain:

- ``common``: the date widget, money fields, the version of a confirmed delete, line choices;
- ``projects``, ``budget`` (typed lines and the exam-fee confirmation), ``procurement``,
  ``spending``, ``targets``, ``settlements``.

An edit form carries the ``version`` of the row it was rendered with (``core.concurrency``).
"""
