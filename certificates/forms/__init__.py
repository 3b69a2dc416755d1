"""The forms of certificates, one module per sub-domain: ``results`` (grid row, correction, opening a
sheet), ``notice`` (publishing, objections), ``issuance``, ``collection`` (签领, external
certificates), ``rosters`` (one roster, the ZIP) and ``verification`` (the public check, revocation,
reissue)."""
