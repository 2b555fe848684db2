"""Identity resolution: one person behind the records of every channel.

The normalisers need only the core install. The probabilistic step uses splink on DuckDB,
installed with ``pip install 'cxlab[identity]'``; it is imported only when used.
"""

from cxlab.identity.normalize import (
    ZERO_WIDTH,
    inspect_emails,
    inspect_phones,
    name_parts,
    normalize_email,
    normalize_handle,
    normalize_name,
    normalize_phone,
)

__all__ = [
    "ZERO_WIDTH",
    "inspect_emails",
    "inspect_phones",
    "name_parts",
    "normalize_email",
    "normalize_handle",
    "normalize_name",
    "normalize_phone",
]
