"""Keeping personal data out of what is handed over.

* **Keys** (:mod:`cxlab.privacy.keys`): :func:`resolve_key` finds the per-project secret
  (explicit key, ``CXLAB_PSEUDONYM_KEY``, or a key file created with mode 600 outside the
  repository and the reports); :data:`DEMO_KEY` is the public key of the demo company only.
* **Pseudonyms** (:mod:`cxlab.privacy.pseudonyms`): :func:`pseudonymise` maps ids to
  ``P`` + 12 hexadecimal characters of HMAC-SHA256, after :func:`normalise_id`
  (``"000123"`` and ``123`` are the same customer).
* **Redaction** (:mod:`cxlab.privacy.redaction`, :mod:`cxlab.privacy.names`,
  :mod:`cxlab.privacy.patterns`): :func:`redact` replaces e-mails (also disguised ones),
  phones, person names (Russian and English), social handles, bank cards and Russian
  document numbers in free text;
  :func:`known_names` collects the names in the user's own tables.
* **Columns** (:mod:`cxlab.privacy.columns`): :func:`personal_columns` finds contact and id
  columns by content, whatever their header; :func:`safe_view` gives a copy safe to show.
* **Small cells** (:mod:`cxlab.privacy.cells`, :mod:`cxlab.privacy.disclosure`):
  :func:`suppress_small_cells`; :func:`protect_groups` and :func:`complementary_suppression`
  also hide the smallest shown groups when the small ones could be derived from the total.

What notebooks do before showing rows of a user's table::

    key = resolve_key(pseudonym_key, demo=tables.is_demo)
    names = known_names(tables.customers, tables.interactions)
    safe_view(tables.survey_responses, key=key, known_names=names).head()
"""

from cxlab.privacy.cells import suppress_small_cells
from cxlab.privacy.columns import CONTACT_KINDS, column_kinds, personal_columns, safe_view
from cxlab.privacy.disclosure import (COMPLEMENTARY_NOTE, Suppression, complementary_suppression, protect_groups,
                                      suppression_note)
from cxlab.privacy.keys import DEMO_KEY, KEY_ENV, MIN_KEY_LENGTH, check_key, default_key_path, project_name, resolve_key
from cxlab.privacy.names import NAME_TOKEN, KnownNames
from cxlab.privacy.pseudonyms import (PSEUDONYM_LENGTH, PSEUDONYM_PATTERN, PSEUDONYM_PREFIX, is_pseudonym,
                                      normalise_id, pseudonymise)
from cxlab.privacy.redaction import (CARD_TOKEN, DOCUMENT_TOKEN, EMAIL_TOKEN, HANDLE_TOKEN, PHONE_TOKEN, contains_pii, find_pii, known_names, redact,
                                     redact_text)

__all__ = [
    "resolve_key", "check_key", "default_key_path", "project_name", "DEMO_KEY", "KEY_ENV", "MIN_KEY_LENGTH",
    "pseudonymise", "normalise_id", "is_pseudonym", "PSEUDONYM_PREFIX", "PSEUDONYM_LENGTH", "PSEUDONYM_PATTERN",
    "redact", "redact_text", "contains_pii", "find_pii", "known_names", "KnownNames", "EMAIL_TOKEN", "PHONE_TOKEN",
    "NAME_TOKEN", "CARD_TOKEN", "HANDLE_TOKEN", "DOCUMENT_TOKEN", "column_kinds", "personal_columns", "safe_view", "CONTACT_KINDS", "suppress_small_cells",
    "complementary_suppression", "protect_groups", "suppression_note", "Suppression", "COMPLEMENTARY_NOTE",
]
