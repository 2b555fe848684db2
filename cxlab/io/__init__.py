"""Reading real-world CX exports into the canonical tables, never losing a row.

One entry point, :func:`read` (plus ``read_survey`` / ``read_transactions`` /
``read_customers`` / ``read_interactions``), for CSV/TSV/TXT, Excel ``.xlsx``,
Parquet and in-memory DataFrames. It detects the encoding (strict UTF-8 first, then
cp1251 / koi8-r / UTF-16 checked for plausible Russian text, line by line when a file
mixes them) and the delimiter, maps headers (Russian and English aliases), parses values
column by column and puts every row it cannot accept into a quarantine table with its
source line and the reason.

A value is either read exactly, or flagged, or quarantined — never changed silently:
numbers take their decimal mark from their own separators (``1 234,56``, ``1,234.56``)
and ambiguous ones (``1,234``) follow the column only when the column is consistent;
dates are parsed exactly (``date_format=`` names an unusual format) and impossible ones
quarantined, implausible ones flagged; totals rows ("Итого", "Total") are quarantined as
summary rows; control bytes are removed and counted; damaged ids are flagged. The loaded
table holds the canonical columns the source has plus its other columns (the user's own
groupings such as country or store); absent optional columns are listed in the report,
not added. The vocabularies
(:data:`COLUMN_ALIASES`, :data:`CHANNEL_MAP`, :data:`VALUE_MAPS`, :data:`NON_RESPONSE`)
are plain dictionaries the user may edit.

This module imports no plotting or notebook libraries.
"""

from cxlab.io._read import read, read_customers, read_interactions, read_survey, read_transactions
from cxlab.io._report import LoadReport, LoadResult, Normalisation
from cxlab.io._vocab import BOOL_MAP, CHANNEL_MAP, COLUMN_ALIASES, NON_RESPONSE, VALUE_MAPS, normalise_label

__all__ = [
    "read",
    "read_survey",
    "read_transactions",
    "read_customers",
    "read_interactions",
    "LoadResult",
    "LoadReport",
    "Normalisation",
    "COLUMN_ALIASES",
    "CHANNEL_MAP",
    "VALUE_MAPS",
    "NON_RESPONSE",
    "BOOL_MAP",
    "normalise_label",
]
