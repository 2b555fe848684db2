"""Identity resolution at scale: cxlab (rules first, splink on the residue) vs a plain splink run.

Usage::

    .venv/bin/python benchmarks/bench_identity.py                    # 1M contact records, both runs
    .venv/bin/python benchmarks/bench_identity.py --records 100000   # smaller
    .venv/bin/python benchmarks/bench_identity.py --skip-plain       # cxlab only (plain splink takes minutes)

Synthetic contact records (about 2.5 per person): CRM rows with id, name, e-mail and phone;
calls, chats, e-mails and messenger contacts carrying the same e-mail or phone written
differently (case, spaces, ``+7`` / ``8`` / brackets) and the name in another order,
script or only the first name; social contacts carrying only a Latin name and a handle
(the residue); 1 % placeholder e-mails and an office phone shared by 300 people.

The records are generated once, in a process of their own, and written to Parquet
(``--data``; reused when present). Each run then happens in a fresh process that reads the
Parquet file (not timed) and runs its pipeline, so the memory printed belongs to the
pipeline, not to the data generator: ``input_gb`` is the process's resident set after
loading the records, ``peak_gb`` its maximum resident set during the run (which includes
DuckDB's memory, unlike tracemalloc). Both runs normalise the same raw records with
:func:`cxlab.identity.prepare_records` (timed, counted in the totals); then cxlab resolves
them with :func:`cxlab.identity.resolve_identities` (rules first, splink on the residue,
EM on a sample of blocks), and the plain run gives every record to splink (u by random
sampling, EM on all pairs of its blocking rules, prediction) and joins the pairs at
probability ≥ 0.95 by connected components. Wall time depends on what else runs on the
machine: the CPU time (all threads) and the load average are printed beside it. Precision
and recall are pairwise, against the generator's true person of every record.

Target (issue 13): 1M records normalised and resolved in ≤ 60 s and ≤ 4 GB on a 2-core machine.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

FIRST = ["Александр", "Дмитрий", "Максим", "Сергей", "Андрей", "Алексей", "Артём", "Илья", "Кирилл", "Михаил",
         "Никита", "Матвей", "Роман", "Егор", "Иван", "Павел", "Олег", "Владимир", "Анна", "Мария", "Елена",
         "Ольга", "Наталья", "Екатерина", "Татьяна", "Ирина", "Светлана", "Юлия", "Анастасия", "Дарья", "Ксения",
         "Полина", "Виктория", "Марина", "Алина", "Вера", "Глеб", "Тимур", "Лев", "Денис"]
ROOTS = ["Иван", "Смирн", "Кузнец", "Поп", "Васильев", "Петр", "Сокол", "Михайл", "Новик", "Фёдор", "Мороз",
         "Волк", "Алексе", "Лебед", "Семён", "Егор", "Павл", "Козл", "Степан", "Никола", "Орл", "Андре", "Макар",
         "Никит", "Захар", "Зайц", "Соловь", "Борис", "Яковл", "Григорь", "Роман", "Воробь", "Сергее", "Кузьмин",
         "Фролов", "Александр", "Дмитри", "Корол", "Гусев", "Киселёв", "Ильин", "Максим", "Поляк", "Сорокин",
         "Виноград", "Ковал", "Белов", "Медвед", "Антон", "Тарас", "Жуков", "Баранов", "Филипп", "Комар",
         "Давыд", "Беляк", "Герасим", "Богдан", "Осип", "Сидор", "Матве", "Титов", "Марк", "Миронов", "Крылов",
         "Кулик", "Карпов", "Власов", "Мельник", "Денис", "Гаврил", "Тихон", "Казак", "Афанась", "Данил",
         "Савель", "Тимоф", "Фомин", "Чернов", "Абрам", "Мартын", "Ефим", "Федот", "Щербак", "Назар", "Калин",
         "Исаев", "Чернышёв", "Быков", "Маслов", "Родион", "Коновал", "Лазарев", "Муравь", "Нестер", "Блинов"]
SUFFIX = ["ов", "ин", "ский", "енко"]
DOMAINS = np.array(["mail.ru", "yandex.ru", "gmail.com", "bk.ru", "inbox.ru", "list.ru"])


def _surnames() -> list[str]:
    return sorted({r + s for r in ROOTS for s in SUFFIX})


def _phone_style(d: np.ndarray, style: np.ndarray) -> np.ndarray:
    """Ten national digits written in four styles: +7 (912) 345-67-89, 8912..., 8 912 345 67 89, +7912..."""
    s = pd.Series(d.astype(str))
    spaced = "8 " + s.str[:3] + " " + s.str[3:6] + " " + s.str[6:8] + " " + s.str[8:]
    bracket = "+7 (" + s.str[:3] + ") " + s.str[3:6] + "-" + s.str[6:8] + "-" + s.str[8:]
    out = np.where(style == 0, bracket, np.where(style == 1, "8" + s, np.where(style == 2, spaced, "+7" + s)))
    return out.astype(object)


def make_records(n_records: int, seed: int = 0) -> tuple[pd.DataFrame, np.ndarray]:
    """Contact records and the true person of each (vectorised; a few seconds at 1M)."""
    import iuliia

    rng = np.random.default_rng(seed)
    n_people = int(n_records / 2.5)
    surn = np.array(_surnames())
    first = np.array(FIRST)
    fi = rng.integers(0, len(first), n_people)
    si = rng.integers(0, len(surn), n_people)
    female = np.isin(first[fi], [f for f in FIRST if f[-1] in "аяь" and f not in ("Илья", "Никита")])
    fam = np.where(female & ~np.char.endswith(surn[si], "енко"),
                   np.where(np.char.endswith(surn[si], "ский"), np.char.replace(surn[si], "ский", "ская"),
                            np.char.add(surn[si], "а")), surn[si])
    lat = {w: iuliia.MOSMETRO.translate(w.replace("ё", "е")) for w in set(first) | set(fam)}
    f_lat = np.array([lat[w] for w in first[fi]])
    s_lat = np.array([lat[w] for w in fam])
    full = np.char.add(np.char.add(first[fi], " "), fam)
    full_lat = np.char.add(np.char.add(f_lat, " "), s_lat)
    email = np.char.add(np.char.add(np.char.add(np.char.add(np.char.lower(f_lat), "."), np.char.lower(s_lat)),
                                    np.arange(n_people).astype(str)), np.char.add("@", DOMAINS[rng.integers(0, 6, n_people)]))
    # distinct valid mobile numbers (910… to 92…), in random order
    digits = rng.permutation(9_100_000_000 + np.arange(n_people) * 450 + rng.integers(0, 450, n_people))

    crm = rng.random(n_people) < 0.7
    n_contacts = np.maximum(0, n_records - crm.sum())
    owner = rng.integers(0, n_people, n_contacts)
    chan = rng.choice(np.array(["phone", "chat", "email", "social", "messenger"]), n_contacts,
                      p=[0.3, 0.2, 0.2, 0.12, 0.18])
    u = rng.random(n_contacts)
    name = np.where(u < 0.4, full[owner], np.where(u < 0.6, np.char.add(np.char.add(fam[owner], " "), first[fi][owner]),
                                                   np.where(u < 0.8, first[fi][owner], full_lat[owner])))
    em_noise = rng.integers(0, 3, n_contacts)
    em = pd.Series(email[owner])
    em = np.where(em_noise == 0, em.str.upper(), np.where(em_noise == 1, "  " + em + " ", em)).astype(object)
    ph = _phone_style(digits[owner], rng.integers(0, 4, n_contacts))
    handle = np.char.add(np.char.add("@", np.char.lower(np.char.replace(full_lat[owner], " ", "_"))),
                         rng.integers(1, 99, n_contacts).astype(str))
    rec = pd.DataFrame({
        "record_id": np.char.add("c", np.arange(n_contacts).astype(str)).astype(object),
        "customer_id": None, "channel": chan,
        "name": np.where(chan == "social", full_lat[owner], np.where(chan == "messenger", first[fi][owner], name)),
        "email": np.where(np.isin(chan, ["chat", "email"]), em, None),
        "phone": np.where(np.isin(chan, ["phone", "messenger"]), ph, None),
        "handle": np.where(chan == "social", handle, None),
        "platform": np.where(chan == "social", "instagram", None),
    })
    cp = np.flatnonzero(crm)
    crm_rec = pd.DataFrame({
        "record_id": np.char.add("k", cp.astype(str)).astype(object), "customer_id": cp.astype(str).astype(object),
        "channel": "crm", "name": full[cp],
        "email": np.where(rng.random(len(cp)) < 0.9, email[cp], None),
        "phone": np.where(rng.random(len(cp)) < 0.9, _phone_style(digits[cp], rng.integers(0, 4, len(cp))), None),
        "handle": None, "platform": None,
    })
    out = pd.concat([crm_rec, rec], ignore_index=True)
    person = np.concatenate([cp, owner])
    # placeholders and an office phone
    k = len(out)
    ph_rows = rng.choice(np.flatnonzero(out["email"].notna().to_numpy()), int(0.01 * k), replace=False)
    out.loc[ph_rows, "email"] = rng.choice(["test@test.ru", "noemail@mail.ru", "Info@Wine-Shop.ru"], len(ph_rows))
    office = rng.choice(np.flatnonzero(out["phone"].notna().to_numpy() & (out["channel"] == "phone").to_numpy()),
                        300, replace=False)
    out.loc[office, "phone"] = "+7 (495) 777-00-11"
    out.loc[office, "name"] = full[person[office]]
    return out, person


def _peak_gb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 ** 2


def _rss_gb() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1024 ** 3


def _load() -> str:
    try:
        return " ".join(open("/proc/loadavg").read().split()[:3])
    except OSError:
        return "?"


def generate(n: int, path: Path) -> None:
    recs, person = make_records(n)
    recs.assign(true_person=person).to_parquet(path)


def _read(path: Path) -> tuple[pd.DataFrame, np.ndarray]:
    recs = pd.read_parquet(path)
    return recs, recs.pop("true_person").to_numpy()


def run_cxlab(path: Path) -> dict:
    from cxlab.identity import pairwise_scores, prepare_records, resolve_identities

    recs, person = _read(path)
    import splink  # noqa: F401 - imports are not part of the pipeline's time

    input_gb, load0 = _rss_gb(), _load()
    c0, t0 = time.process_time(), time.perf_counter()
    prep = prepare_records(recs)
    t1, c1 = time.perf_counter(), time.process_time()
    res = resolve_identities(prep)
    t2, c2 = time.perf_counter(), time.process_time()
    s = pairwise_scores(res.records["person_id"].to_numpy(), person)
    return {"run": "cxlab: rules, then splink on the residue", "records": len(recs), "normalise_s": t1 - t0,
            "normalise_cpu_s": c1 - c0, "resolve_s": t2 - t1, "resolve_cpu_s": c2 - c1, "total_s": t2 - t0,
            "cpu_s": c2 - c0, "input_gb": input_gb, "peak_gb": _peak_gb(),
            "pairs_compared": int(res.params["pairs_compared"]),
            "splink_rows": int(res.params.get("splink_rows", 0)), "em_rows": int(res.params.get("em_rows", 0)),
            "candidates": len(res.candidates), "persons": res.n_persons, "true_persons": int(len(np.unique(person))),
            "precision": s["precision"], "recall": s["recall"], "f1": s["f1"],
            "load_before": load0, "load_after": _load(),
            "stages_s": {k: round(v, 2) for k, v in res.params["seconds"].items()},
            "stages_cpu_s": {k: round(v, 2) for k, v in res.params["cpu_seconds"].items()}}


def run_plain(path: Path) -> dict:
    from cxlab.identity import SplinkModel, connected_components, pairwise_scores, prepare_records, splink_pairs

    recs, person = _read(path)
    import splink  # noqa: F401

    input_gb, load0 = _rss_gb(), _load()
    c0, t0 = time.process_time(), time.perf_counter()
    prep = prepare_records(recs)
    t1, c1 = time.perf_counter(), time.process_time()
    frame = pd.DataFrame({"unique_id": np.arange(len(prep)), "given": prep["given"], "family": prep["family"],
                          "email": prep["email_key"], "phone": prep["phone_key"]})
    model = SplinkModel(
        blocking=("l.email = r.email", "l.phone = r.phone", "l.family = r.family and l.given = r.given"),
        em_blocking=("l.family = r.family", "l.email = r.email"),
        em_max_pairs=None,  # plain splink: EM on every pair of its blocking rules
    )
    pairs, info = splink_pairs(frame, model, min_probability=0.95)
    labels = connected_components(len(frame), pairs["unique_id_l"].to_numpy(), pairs["unique_id_r"].to_numpy())
    t2, c2 = time.perf_counter(), time.process_time()
    s = pairwise_scores(labels, person)
    return {"run": "plain splink on every record", "records": len(recs), "normalise_s": t1 - t0,
            "normalise_cpu_s": c1 - c0, "resolve_s": t2 - t1, "resolve_cpu_s": c2 - c1, "total_s": t2 - t0,
            "cpu_s": c2 - c0, "input_gb": input_gb, "peak_gb": _peak_gb(),
            "pairs_compared": int(info["pairs_compared"]), "splink_rows": len(frame), "em_rows": int(info["em_rows"]),
            "candidates": len(pairs), "persons": int(len(np.unique(labels))), "true_persons": int(len(np.unique(person))),
            "precision": s["precision"], "recall": s["recall"], "f1": s["f1"],
            "load_before": load0, "load_after": _load(), "stages_s": {}, "stages_cpu_s": {}}


def _child(kind: str, path: Path, n: int) -> dict | None:
    proc = subprocess.run([sys.executable, __file__, "--records", str(n), "--data", str(path), "--child", kind],
                          capture_output=True, text=True)
    line = [ln for ln in proc.stdout.splitlines() if ln.startswith("RESULT ")]
    if proc.returncode or (kind != "generate" and not line):
        print(proc.stdout[-2000:], proc.stderr[-4000:], file=sys.stderr)
        raise SystemExit(f"the {kind} run failed")
    return json.loads(line[0][7:]) if line else None


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--records", type=int, default=1_000_000)
    ap.add_argument("--data", type=Path, default=None,
                    help="Parquet file of generated records (made when missing; default: in the temp folder)")
    ap.add_argument("--skip-plain", action="store_true")
    ap.add_argument("--child", choices=["generate", "cxlab", "plain"])
    args = ap.parse_args()
    path = args.data or Path(tempfile.gettempdir()) / f"cxlab_bench_identity_{args.records}.parquet"
    if args.child:
        if args.child == "generate":
            generate(args.records, path)
            return
        out = run_cxlab(path) if args.child == "cxlab" else run_plain(path)
        print("RESULT " + json.dumps(out))
        return
    if not path.exists():
        t = time.perf_counter()
        _child("generate", path, args.records)
        print(f"generated {args.records:,} records into {path} in {time.perf_counter() - t:.1f} s (not counted)")
    rows = []
    for kind in (["cxlab"] if args.skip_plain else ["cxlab", "plain"]):
        rows.append(_child(kind, path, args.records))
    table = pd.DataFrame(rows).set_index("run")
    show = table.drop(columns=["stages_s", "stages_cpu_s"])
    with pd.option_context("display.width", 200, "display.max_columns", 20, "display.float_format", "{:,.3f}".format):
        print(show.T.to_string())
    c = table.iloc[0]
    print("\ncxlab stages, wall s:", c["stages_s"])
    print("cxlab stages, CPU s: ", c["stages_cpu_s"])
    print(f"\n(wall times depend on what else runs; load average (1, 5, 15 min) before/after each run is in the "
          f"table; cpu_s is the process's own CPU time, all threads; this machine has {os.cpu_count()} cores)")
    print(f"cxlab: {c['records']:,} records normalised and resolved in {c['total_s']:.1f} s wall, {c['cpu_s']:.1f} s CPU "
          f"(target <= 60 s), peak memory {c['peak_gb']:.2f} GB of which {c['input_gb']:.2f} GB the loaded input "
          f"(target <= 4 GB), {c['pairs_compared']:,} pairs compared by splink; "
          f"precision {c['precision']:.4f}, recall {c['recall']:.4f}")
    if len(table) > 1:
        p = table.iloc[1]
        print(f"plain splink: {p['total_s']:.1f} s wall, {p['cpu_s']:.1f} s CPU, peak {p['peak_gb']:.2f} GB, "
              f"{p['pairs_compared']:,} pairs compared; precision {p['precision']:.4f}, recall {p['recall']:.4f}; "
              f"cxlab is {p['total_s'] / c['total_s']:.1f}x faster (wall), {p['cpu_s'] / c['cpu_s']:.1f}x (CPU)")


if __name__ == "__main__":
    main()
