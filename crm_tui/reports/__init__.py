"""Reports: SQL aggregates over the store, one module per report, shared by CLI and app.

Entry points: `registry.compute(db, name, params)` and `registry.available_reports()`;
`outputs` renders a `ReportResult` as a Rich table, CSV, JSON or an xlsx workbook.
"""
