"""Records retention (ISO/IEC 17024 7.4, UU 27/2022): the periods per kind of record (settings
``RETENTION_*_YEARS``, shown in the privacy notice), the LSP admin's yearly disposal list of the people whose data is
past its period, approved through the workflow core, and the background job that anonymises them once approved."""
