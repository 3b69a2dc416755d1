"""The pages of certificates, one module per sub-domain (``urls.py`` names them all):

- ``results``: the index, the keyboard grid, a result's history and correction, the Excel import;
- ``notice``: a sheet's page, publishing, objections and answers, ending the notice;
- ``issuance``: batches to issue, numbers generated, typed in or imported;
- ``collection``: a person's and a class's certificates, collection, external certificates;
- ``rosters``: a class's roster as PDF or .xlsx, many rosters in one ZIP;
- ``verification``: the public check, QR codes, a certificate's page, revocation and reissue.

Views are thin: form → service → message → redirect.
"""
