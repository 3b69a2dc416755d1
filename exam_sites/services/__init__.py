"""The writes of exam_sites, one module per sub-domain (import from the module, not from here). All
writes of one entity stand in one module, and each leaves its line in the audit log (``history.py``).

- ``applications``: a site application's create, edit, submit and the reviewer's decisions; its PDF;
- ``notifications``: who a change of status concerns (e-mail, the reviewer rule);
- ``sites``: the exam site or guidance centre an approval makes;
- ``announcements``: announcements and rounds (the organisation), publishing;
- ``batches``: planning and editing batches (the school);
- ``sessions``: adding and deleting sessions; the session list PDF;
- ``seats``: allocating seats and moving a candidate; ``allocation`` is the pure placing function;
- ``common``: dates, levels and the site lock the scheduling services share.
"""
