"""Text and documents people read: problems, status, metrics tables, the pull-request comment, DOCX/XLSX/PDF reports."""
