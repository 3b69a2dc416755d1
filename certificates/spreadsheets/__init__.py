"""The spreadsheets of certificates (importers and exporters over ``core.spreadsheets``), one module
per sub-domain: ``results`` (a sheet's scores), ``issuance`` (certificate numbers), ``collection``
(external certificates) and ``rosters`` (the roster as .xlsx). They write through the services."""
