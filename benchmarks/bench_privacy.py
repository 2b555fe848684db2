"""Privacy speed: redacting comments and agent messages, finding personal columns, pseudonymising ids.

Usage::

    .venv/bin/python benchmarks/bench_privacy.py                 # the demo company (3,000 customers)
    .venv/bin/python benchmarks/bench_privacy.py --distinct 4000 # plus 4,000 distinct comments with names

Prints wall times for: loading the name models (once per process), redacting the demo's survey
comments and agent messages (each distinct text is processed once), redacting ``--distinct``
comments that are all different and carry planted names, finding the personal columns of every
demo table, and pseudonymising one million ids. It also prints the speed-up that the NER gate gives
(the NER runs only on texts where it can add a name) by timing the same texts with the NER on every
Russian text.
"""

from __future__ import annotations

import argparse
import random
import time

import pandas as pd

from cxlab.datasets import load_example
from cxlab.privacy import DEMO_KEY, column_kinds, known_names, pseudonymise, redact
from cxlab.privacy import names as names_mod

FIRST = ["Анна", "Иван", "Мария", "Пётр", "Ольга", "John", "Emma", "Oliver", "Sophie"]
LAST = ["Иванова", "Петров", "Смирнова", "Кузнецов", "Smith", "Walker", "Taylor", "Brown"]
TEMPLATES = ["Меня зовут {n}, доставка опоздала (заказ {i})", "С уважением, {n}. Заказ {i} пришёл помятым",
             "{n} here, order {i} was late", "Оператор {n} помог с заказом {i}", "Kind regards, {n} (order {i})"]


def timed(label: str, fn):
    t0 = time.perf_counter()
    out = fn()
    print(f"{label:<58} {time.perf_counter() - t0:7.2f} s")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--distinct", type=int, default=4000, help="number of distinct comments with names")
    args = parser.parse_args()

    demo = load_example()
    comments = demo.survey_responses["comment"]
    messages = demo.interactions["agent_message"]
    print(f"demo: {comments.notna().sum():,} comments ({comments.nunique():,} distinct), "
          f"{len(messages):,} agent messages ({messages.nunique():,} distinct)")
    timed("load models (pymorphy3, Faker lists, Natasha NER)", lambda: redact(["Меня обслуживал Ахмед Цхай"]))
    known = timed("known_names(customers, interactions)", lambda: known_names(demo.customers, demo.interactions))
    timed("redact demo comments", lambda: redact(comments, known_names=known))
    timed("redact demo agent messages", lambda: redact(messages, known_names=known))

    rng = random.Random(1)
    texts = [rng.choice(TEMPLATES).format(n=f"{rng.choice(FIRST)} {rng.choice(LAST)}", i=i)
             for i in range(args.distinct)]
    timed(f"redact {args.distinct:,} distinct comments with names", lambda: redact(texts))
    gate = names_mod._needs_ner
    names_mod._needs_ner = lambda text, known: bool(names_mod._CYR_UPPER.search(text))
    try:
        timed("  the same with the NER on every Russian text", lambda: redact([t + " " for t in texts]))
    finally:
        names_mod._needs_ner = gate
    timed("redact the same, e-mails and phones only", lambda: redact(texts, names=False))

    for name, table in demo.tables().items():
        timed(f"column_kinds({name}) ({len(table):,} rows)", lambda t=table: column_kinds(t))
    ids = pd.Series([f"{i:07d}" for i in range(1_000_000)], dtype="string")
    timed("pseudonymise 1,000,000 ids", lambda: pseudonymise(ids, key=DEMO_KEY))


if __name__ == "__main__":
    main()
