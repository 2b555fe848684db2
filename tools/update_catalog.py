"""Extract cxlab's generated-text messages and merge them into the translation catalogs.

    .venv/bin/python tools/update_catalog.py          # update cxlab/findings/locale/<lang>.po
    .venv/bin/python tools/update_catalog.py --check  # exit 1 when a message has no translation

Messages are the strings passed to ``_``, ``N_``, ``NP_`` and ``ngettext`` (see :mod:`cxlab.findings.i18n`)
in the files listed in ``SOURCES`` (the findings, the deliverable writers and the figures of ``cxlab.plots``). New messages are added untranslated; messages no longer in the code
are dropped; existing translations are kept. Translators edit the ``.po`` files (any gettext tool).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
LOCALE = ROOT / "cxlab" / "findings" / "locale"
SOURCES = sorted((ROOT / "cxlab" / "findings").rglob("*.py")) + [
    ROOT / "cxlab" / "report" / name for name in ("export.py", "run.py", "deliverables.py", "deck.py")] + sorted(
    (ROOT / "cxlab" / "plots").glob("*.py"))
KEYWORDS = {"_": None, "N_": None, "NP_": ((1, "c"), 2), "ngettext": (1, 2)}


def extract() -> Catalog:
    """Every message in the sources, as a template catalog."""
    template = Catalog(project="cxlab", fuzzy=False)
    for path in SOURCES:
        for lineno, message, comments, context in extract_from_file("python", str(path), keywords=KEYWORDS):
            template.add(message, locations=[(str(path.relative_to(ROOT)), lineno)], context=context)
    return template


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true")
    parser.add_argument("--fill", action="store_true", help="fill translations from tools/ru_translations.py")
    args = parser.parse_args(argv)
    fill = {}
    if args.fill:
        sys.path.insert(0, str(ROOT / "tools"))
        from ru_translations import RU

        fill = {"ru": RU}
    template = extract()
    missing = 0
    for po in sorted(LOCALE.glob("*.po")):
        with open(po, "rb") as fh:
            catalog = read_po(fh, locale=po.stem)
        catalog.update(template, no_fuzzy_matching=True)
        catalog.obsolete.clear()
        for m in catalog:
            if not m.id:
                continue
            table = fill.get(po.stem, {})
            key = (m.id[0],) if isinstance(m.id, tuple) else ((m.context, m.id) if m.context else m.id)
            if key in table:
                m.string = table[key]
        untranslated = [m.id for m in catalog if m.id and not (all(m.string) if isinstance(m.string, tuple)
                                                                else m.string)]
        missing += len(untranslated)
        for m in untranslated[:20]:
            print(f"{po.name}: untranslated: {m!r}", file=sys.stderr)
        if not args.check:
            with open(po, "wb") as fh:
                write_po(fh, catalog, width=0, omit_header=False, sort_output=False, include_previous=False)
    return 1 if args.check and missing else 0


if __name__ == "__main__":
    raise SystemExit(main())
