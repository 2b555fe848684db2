"""Identity resolution: one person behind the records of every channel.

* :mod:`~cxlab.identity.normalize` — e-mails, phones (E.164), social handles, and names
  (transliterated with iuliia, in :mod:`~cxlab.identity.names`); core install only.
* :mod:`~cxlab.identity.rules` — deterministic links, connected components, cluster-size cap;
  contact records in :mod:`~cxlab.identity.records`, placeholder and shared-contact guards in
  :mod:`~cxlab.identity.guards`.
* :mod:`~cxlab.identity.probabilistic` — splink on DuckDB for the residue
  (``pip install 'cxlab[identity]'``; imported only when used).
* :mod:`~cxlab.identity.resolve` — :func:`resolve_identities`, the whole chain.
* :mod:`~cxlab.identity.profile` — the unified customer profile and a person's timeline.
* :mod:`~cxlab.identity.report` — match report, accuracy, fragmentation audit, threshold
  sensitivity.
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
from cxlab.identity.probabilistic import SplinkModel, component_table, require_splink, splink_pairs
from cxlab.identity.profile import customer_profiles, person_of_customer, person_timeline
from cxlab.identity.report import (
    PROBABILITY_BANDS,
    accuracy,
    cluster_sizes,
    conflicts,
    fragmentation_audit,
    links_by_rule,
    pairwise_scores,
    probability_bands,
    threshold_sensitivity,
    true_persons,
)
from cxlab.identity.resolve import (
    DEFAULT_THRESHOLD,
    IdentityResult,
    persons_at_threshold,
    read_decisions,
    resolve_identities,
    resolve_tables,
)
from cxlab.identity.rules import (
    KEYS,
    PLACEHOLDERS,
    RECORD_COLUMNS,
    cap_cluster_size,
    connected_components,
    contact_records,
    deterministic_links,
    find_placeholders,
    name_groups,
    prepare_records,
)

__all__ = [
    "ZERO_WIDTH", "inspect_emails", "inspect_phones", "name_parts", "normalize_email", "normalize_handle",
    "normalize_name", "normalize_phone",
    "SplinkModel", "component_table", "require_splink", "splink_pairs",
    "customer_profiles", "person_of_customer", "person_timeline",
    "PROBABILITY_BANDS", "accuracy", "cluster_sizes", "conflicts", "fragmentation_audit", "links_by_rule",
    "pairwise_scores", "probability_bands", "threshold_sensitivity", "true_persons",
    "DEFAULT_THRESHOLD", "IdentityResult", "persons_at_threshold", "read_decisions", "resolve_identities",
    "resolve_tables",
    "KEYS", "PLACEHOLDERS", "RECORD_COLUMNS", "cap_cluster_size", "connected_components", "contact_records",
    "deterministic_links", "find_placeholders", "name_groups", "prepare_records",
]
