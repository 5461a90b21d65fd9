"""CSV for spreadsheets: Python's `csv`, with cells that a spreadsheet would run as a formula
neutralised.

A text cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is read by
spreadsheet programs as a formula (OWASP's "CSV injection"): a startup named
`=HYPERLINK(...)` would run in the budget office. Such a cell is written with a leading `'`,
which spreadsheets show as text. Numbers are left alone (a negative amount stays a number).
Use `core.csv.writer` wherever `csv.writer` would be used.
"""
import csv as _csv

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell):
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
        return "'" + cell
    return cell


class _Writer:
    def __init__(self, stream, **kwargs):
        self._writer = _csv.writer(stream, **kwargs)

    def writerow(self, row):
        return self._writer.writerow([neutralise(cell) for cell in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


def writer(stream, **kwargs) -> _Writer:
    return _Writer(stream, **kwargs)
