"""The writes of certificates, one module per sub-domain (views, tasks and importers call these).

- ``results``: a batch's sheet, saving a row or a file of results, retake rows (补考);
- ``notice``: publishing (公示), objections (异议) and their answers, ending the notice;
- ``issuance``: issuing certificates (numbers typed, generated, imported), revocation and reissue;
- ``collection``: who collected a certificate (签领), external skill certificates;
- ``rosters``: the collection roster as a PDF, and many rosters in one ZIP;
- ``verification``: the public check's rate limit and log.

Every change to a result or an issued certificate writes its line of the audit log (the actions
are in ``certificates/history.py``).
"""
