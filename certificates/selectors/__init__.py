"""The reads of certificates, one module per sub-domain (other apps read certificates through these).

- ``results``: sheets and results each role sees, the grid, who may enter, a result's history;
- ``issuance``: batches with results, passed results waiting for a number, one issued certificate;
- ``collection``: a person's and a class's certificates, external certificates;
- ``rosters``: which certificates a roster lists (the one place), its rows, title and ZIP specs;
- ``verification``: the public look-ups, QR codes, a certificate's history and check log.
"""
