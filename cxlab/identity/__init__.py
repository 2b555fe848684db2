"""Identity resolution: one person behind the records of every channel."""

from cxlab.identity.normalize import ZERO_WIDTH, inspect_emails, inspect_phones, normalize_email, normalize_phone

__all__ = ["ZERO_WIDTH", "inspect_emails", "inspect_phones", "normalize_email", "normalize_phone"]
