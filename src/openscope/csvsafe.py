"""CSV cells a spreadsheet will not run: text starting with ``= + - @`` (or a tab or carriage
return) is prefixed with ``'`` (OWASP's advice against CSV formula injection). Release names,
licences and organisations come from the audited releases, so every CSV we write passes here.
"""

from __future__ import annotations

from typing import Any

_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def cell(value: Any) -> Any:
    """``value`` unchanged unless it is text a spreadsheet would read as a formula.

    >>> cell("=HYPERLINK(\\"x\\")"), cell("apache-2.0"), cell(-3)
    ('\\'=HYPERLINK("x")', 'apache-2.0', -3)
    """
    if isinstance(value, str) and value.startswith(_TRIGGERS):
        return "'" + value
    return value


def table(tbl: Any) -> Any:
    """A pyarrow table with every string column passed through :func:`cell`."""
    import pyarrow as pa

    columns = []
    for col in tbl.columns:
        if pa.types.is_string(col.type) or pa.types.is_large_string(col.type):
            col = pa.array([cell(v) for v in col.to_pylist()], type=col.type)
        columns.append(col)
    return pa.table(columns, names=tbl.column_names)
