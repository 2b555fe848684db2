"""Identity resolution at scale: cxlab (rules first, splink on the residue) vs a plain splink run.

Usage::

    .venv/bin/python benchmarks/bench_identity.py                    # 1M contact records, both runs
    .venv/bin/python benchmarks/bench_identity.py --records 200000   # smaller
    .venv/bin/python benchmarks/bench_identity.py --skip-plain       # cxlab only (plain splink takes minutes)

Synthetic contact records (about 2.5 per person): CRM rows with id, name, e-mail and phone;
calls, chats, e-mails and messenger contacts carrying the same e-mail or phone written
differently (case, spaces, ``+7`` / ``8`` / brackets) and the name in another order,
script or only the first name; social contacts carrying only a Latin name and a handle
(the residue); 1 % placeholder e-mails and an office phone shared by 300 people.

Each run happens in its own process, so the peak memory printed (the process's maximum
resident set, which includes DuckDB's memory, unlike tracemalloc) belongs to that run
alone. Both runs start from the same normalised records; the time of normalising them is
printed separately and counted in cxlab's total. Target (issue 13): 1M records normalised
and resolved in ≤ 60 s and ≤ 4 GB on a 2-core machine.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time

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


def run_cxlab(n: int) -> dict:
    from cxlab.identity import pairwise_scores, prepare_records, resolve_identities

    recs, person = make_records(n)
    c0, t0 = time.process_time(), time.perf_counter()
    prep = prepare_records(recs)
    t1 = time.perf_counter()
    res = resolve_identities(prep)
    t2, c2 = time.perf_counter(), time.process_time()
    s = pairwise_scores(res.records["person_id"].to_numpy(), person)
    return {"run": "cxlab: rules first, splink on the residue", "records": len(recs), "normalise_s": t1 - t0,
            "resolve_s": t2 - t1, "total_s": t2 - t0, "cpu_s": c2 - c0, "peak_gb": _peak_gb(),
            "pairs_compared": int(res.params["pairs_compared"]),
            "splink_rows": int(res.records["component"].nunique()),
            "persons": res.n_persons, "true_persons": int(len(np.unique(person))),
            "precision": s["precision"], "recall": s["recall"], "f1": s["f1"]}


def run_plain(n: int) -> dict:
    from cxlab.identity import SplinkModel, connected_components, pairwise_scores, prepare_records, splink_pairs

    recs, person = make_records(n)
    c0, t0 = time.process_time(), time.perf_counter()
    prep = prepare_records(recs)
    t1 = time.perf_counter()
    frame = pd.DataFrame({"unique_id": np.arange(len(prep)), "given": prep["given"], "family": prep["family"],
                          "email": prep["email_key"], "phone": prep["phone_key"]})
    model = SplinkModel(
        blocking=("l.email = r.email", "l.phone = r.phone", "l.family = r.family and l.given = r.given"),
        em_blocking=("l.family = r.family", "l.email = r.email"),
    )
    pairs, info = splink_pairs(frame, model, min_probability=0.95)
    labels = connected_components(len(frame), pairs["unique_id_l"].to_numpy(), pairs["unique_id_r"].to_numpy())
    t2, c2 = time.perf_counter(), time.process_time()
    s = pairwise_scores(labels, person)
    return {"run": "plain splink on every record", "records": len(recs), "normalise_s": t1 - t0,
            "resolve_s": t2 - t1, "total_s": t2 - t0, "cpu_s": c2 - c0, "peak_gb": _peak_gb(),
            "pairs_compared": int(info["pairs_compared"]),
            "splink_rows": len(frame), "persons": int(len(np.unique(labels))), "true_persons": int(len(np.unique(person))),
            "precision": s["precision"], "recall": s["recall"], "f1": s["f1"]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--records", type=int, default=1_000_000)
    ap.add_argument("--skip-plain", action="store_true")
    ap.add_argument("--child", choices=["cxlab", "plain"])
    args = ap.parse_args()
    if args.child:
        out = run_cxlab(args.records) if args.child == "cxlab" else run_plain(args.records)
        print("RESULT " + json.dumps(out))
        return
    rows = []
    for child in (["cxlab"] if args.skip_plain else ["cxlab", "plain"]):
        proc = subprocess.run([sys.executable, __file__, "--records", str(args.records), "--child", child],
                              capture_output=True, text=True)
        line = [ln for ln in proc.stdout.splitlines() if ln.startswith("RESULT ")]
        if proc.returncode or not line:
            print(proc.stdout[-2000:], proc.stderr[-4000:], file=sys.stderr)
            raise SystemExit(f"the {child} run failed")
        rows.append(json.loads(line[0][7:]))
    table = pd.DataFrame(rows).set_index("run")
    with pd.option_context("display.width", 200, "display.max_columns", 20, "display.float_format", "{:,.3f}".format):
        print(table.T.to_string())
    c = table.iloc[0]
    load = open("/proc/loadavg").read().split()[0] if sys.platform.startswith("linux") else "?"
    print(f"\n(wall times depend on what else runs: 1-minute load average at the end {load}; cpu_s is the "
          f"process's own CPU time, all threads)")
    print(f"cxlab: {c['records']:,} records normalised and resolved in {c['total_s']:.1f} s wall, {c['cpu_s']:.1f} s CPU "
          f"(target <= 60 s), peak memory {c['peak_gb']:.2f} GB (target <= 4 GB), "
          f"{c['pairs_compared']:,} pairs compared by splink")
    if len(table) > 1:
        p = table.iloc[1]
        print(f"plain splink: {p['resolve_s']:.1f} s after the same normalisation, peak {p['peak_gb']:.2f} GB, "
              f"{p['pairs_compared']:,} pairs compared; cxlab is {p['resolve_s'] / c['resolve_s']:.1f}x faster")


if __name__ == "__main__":
    main()
