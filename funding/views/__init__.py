"""Funding's pages, one module per sub-domain (``funding/urls.py`` names them all):

- ``common``: the one flow of a project's form pages (new rows, edits, deletes, removals);
- ``projects``: list, detail (with the change log), header, plan exports;
- ``budget``, ``exam_fees``, ``procurement``, ``spending``, ``targets``: the project's parts;
- ``settlements``: the statements, which the school admin and the organisation's reviewer share.

Project pages are the school admin's (roles.MANAGE_FUNDING), reads included.
"""
