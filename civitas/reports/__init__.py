"""The annual monitoring report and the evaluation reports: their narrative, their data and their documents (DOCX, PDF, page)."""
