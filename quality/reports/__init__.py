"""Periodic reports to BNSP (PBNSP 05/2013 11): a quarter, a semester or a year of the LSP's work in figures,
computed in SQL from the records they summarise, frozen when the report is made, signed as a letter (PDF) and
offered as a spreadsheet (XLSX), both written by the export job (``certportal.exportjobs.documents``)."""
