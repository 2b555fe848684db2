"""Reading real-world CX exports into the canonical tables, never losing a row.

One entry point, :func:`read` (plus ``read_survey`` / ``read_transactions`` /
``read_customers`` / ``read_interactions``), for CSV/TSV/TXT, Excel ``.xlsx``,
Parquet and in-memory DataFrames. It detects the encoding (strict UTF-8 first, then
cp1251 / koi8-r / UTF-16 checked for plausible Russian text) and the delimiter, maps
headers (Russian and English aliases), parses values column by column (decimal
commas, non-breaking-space thousands, day-first and Excel-serial dates, scale labels,
non-response codes, channel labels) and puts every row it cannot accept into a
quarantine table with its source line and the reason. The vocabularies
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
