"""The reads of exam_sites, one module per sub-domain (import from the module, not from here):

- ``applications``: applications as each tenant may see them, the review queue, one application's
  document and history, the home page's latest steps;
- ``sites``: approved exam sites with their rooms, guidance centres;
- ``announcements``: announcements and rounds (a school reads the published ones), their history;
- ``batches``: batches, sessions, seats, qualified invigilators, the session list, a batch's history.
"""
