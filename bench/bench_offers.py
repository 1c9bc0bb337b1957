"""Offer-checker figures: held-out quality at ~5 % prevalence, evidence, speed.

Run ``python bench/bench_offers.py`` (or ``make bench``). It prints

* precision, recall and F1 per language and overall on the corpus's *test* split, which
  the model never saw (its phrasing is partly held out too), sampled at about 5 %
  deceptive, at the *medium* threshold (risk medium or high = flagged) and for risk high;
* calibration on that split (Brier score, expected calibration error);
* the share of deceptive offers whose every flag quotes words found in the offer;
* bulk throughput in messages per CPU-second on one core (``check_many``, batches of 1000);
* latency of one check (p50/p99): the engine alone, and ``POST /api/v1/offers/check``
  through the app when the web layer is installed.

The figures measure a synthetic corpus; see src/ctip/offers/corpus/PROVENANCE.md for what
that means for real-world accuracy.
"""

from __future__ import annotations

import json
import os
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

from ctip.offers.engine import CheckResult, OfferChecker
from ctip.offers.model import LANGS, Example, OfferModel, load_corpus, load_or_train, prf

OUT = Path(__file__).parent / "out" / "offers.json"


def quality(results: list[CheckResult], test: list[Example]) -> dict[str, dict[str, float]]:
    """P/R/F1 per language and overall, flagged = medium or high, and for high alone."""
    y = np.array([e.label for e in test])
    langs = np.array([e.lang for e in test])
    flagged = np.array([r.risk in ("medium", "high") for r in results])
    high = np.array([r.risk == "high" for r in results])
    table = {}
    for lang in (*LANGS, "all"):
        mask = np.ones(len(y), bool) if lang == "all" else langs == lang
        p, r, f = prf(flagged[mask], y[mask])
        hp, hr, hf = prf(high[mask], y[mask])
        table[lang] = {
            "n": int(mask.sum()),
            "deceptive": int(y[mask].sum()),
            "precision": p,
            "recall": r,
            "f1": f,
            "high_precision": hp,
            "high_recall": hr,
            "high_f1": hf,
        }
    return table


def calibration(results: list[CheckResult], test: list[Example]) -> dict[str, float]:
    """Brier score and expected calibration error (10 equal-width bins)."""
    p = np.array([r.score for r in results])
    y = np.array([e.label for e in test])
    bins = np.minimum((p * 10).astype(int), 9)
    ece = sum(
        abs(p[bins == b].mean() - y[bins == b].mean()) * (bins == b).mean()
        for b in range(10)
        if (bins == b).any()
    )
    return {
        "brier": float(np.mean((p - y) ** 2)),
        "ece": float(ece),
        "mean_score": float(p.mean()),
        "prevalence": float(y.mean()),
    }


def evidence(results: list[CheckResult], test: list[Example]) -> dict[str, float]:
    """Among deceptive offers: every flag quotes words of the offer; at least one flag."""
    deceptive = [(r, e) for r, e in zip(results, test, strict=True) if e.label == 1]
    quoted = [
        all(f.evidence and all(q in e.text for q in f.evidence) for f in r.flags)
        for r, e in deceptive
    ]
    return {
        "every_flag_quotes_evidence": sum(quoted) / len(deceptive),
        "at_least_one_flag": sum(bool(r.flags) for r, _ in deceptive) / len(deceptive),
    }


def throughput(checker: OfferChecker, texts: list[str], total: int = 20_000) -> dict[str, float]:
    """Bulk messages per CPU-second of this process (one core) and per wall-clock second."""
    batch = (texts * (total // len(texts) + 1))[:total]
    checker.check_many(batch[:1000], widen=False)  # warm up caches and lazy loads
    cpu, wall = time.process_time(), time.perf_counter()
    for i in range(0, total, 1000):
        checker.check_many(batch[i : i + 1000], widen=False)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    return {
        "messages": total,
        "per_cpu_second": total / cpu,
        "per_wall_second": total / wall,
        "load_average_1m": os.getloadavg()[0],
    }


def latency(checker: OfferChecker, texts: list[str], n: int = 400) -> dict[str, float]:
    """One ``check`` at a time (what the API does), in milliseconds."""
    times = []
    for text in texts[:n]:
        start = time.perf_counter()
        checker.check(text)
        times.append((time.perf_counter() - start) * 1000)
    return _percentiles(times)


def _percentiles(times: list[float]) -> dict[str, float]:
    q = statistics.quantiles(times, n=100)
    return {"p50_ms": q[49], "p99_ms": q[98], "n": len(times)}


def api_latency(model: OfferModel, texts: list[str], n: int = 300) -> dict[str, float] | None:
    """``POST /api/v1/offers/check`` through the app in-process (a fresh SQLite database)."""
    try:
        from fastapi.testclient import TestClient

        from ctip.config import Settings
        from ctip.db.migrate import upgrade
        from ctip.db.session import make_engine
        from ctip.offers import views
        from ctip.offers.service import use_model
        from ctip.web.app import create_app
    except ImportError:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(
            env="development", data_dir=Path(tmp), database_url=f"sqlite:///{tmp}/bench.sqlite3"
        )
        upgrade(make_engine(settings.resolved_database_url))
        use_model(settings, model)
        views.CHECKS_PER_MINUTE = 10**9  # measure the check, not the rate limit
        times = []
        with TestClient(create_app(settings)) as client:
            client.post("/api/v1/offers/check", json={"text": texts[0]})
            for text in texts[:n]:
                start = time.perf_counter()
                response = client.post("/api/v1/offers/check", json={"text": text})
                times.append((time.perf_counter() - start) * 1000)
                assert response.status_code == 200, response.text
    return _percentiles(times)


def main() -> None:
    start = time.perf_counter()
    model = load_or_train()
    load_s = time.perf_counter() - start
    checker = OfferChecker(model)
    test = [e for e in load_corpus() if e.split == "test"]
    results = checker.check_many([e.text for e in test])
    figures = {
        "model_load_or_train_s": load_s,
        "thresholds": {"medium": model.medium, "high": model.high},
        "quality": quality(results, test),
        "calibration": calibration(results, test),
        "evidence": evidence(results, test),
        "bulk": throughput(checker, [e.text for e in test]),
        "check_latency": latency(checker, [e.text for e in test]),
        "api_latency": api_latency(model, [e.text for e in test]),
    }
    report(figures)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(figures, indent=2), encoding="utf-8")


def report(f: dict) -> None:  # type: ignore[type-arg]
    print("Offer checker - held-out test split, ~5 % deceptive (synthetic corpus)")
    print(f"thresholds: medium {f['thresholds']['medium']:.3f}  high {f['thresholds']['high']:.3f}")
    print("flagged = risk medium or high | high = risk high")
    head = f"{'prec':>6} {'rec':>6} {'F1':>6}"
    print(f"{'lang':5} {'n':>5} {'dec':>4} | {head} | {head}")
    for lang, q in f["quality"].items():
        print(
            f"{lang:5} {q['n']:5d} {q['deceptive']:4d} | {q['precision']:6.3f} "
            f"{q['recall']:6.3f} {q['f1']:6.3f} | {q['high_precision']:6.3f} "
            f"{q['high_recall']:6.3f} {q['high_f1']:6.3f}"
        )
    c, e, b = f["calibration"], f["evidence"], f["bulk"]
    print(
        f"calibration: Brier {c['brier']:.4f}  ECE {c['ece']:.4f}  "
        f"mean score {c['mean_score']:.3f} vs prevalence {c['prevalence']:.3f}"
    )
    share = e["every_flag_quotes_evidence"]
    print(
        f"deceptive offers whose every flag quotes evidence: {share:.1%}"
        f" (with at least one flag: {e['at_least_one_flag']:.1%})"
    )
    print(
        f"bulk: {b['per_cpu_second']:,.0f} messages per CPU-second on one core "
        f"({b['per_wall_second']:,.0f}/s wall clock, load average {b['load_average_1m']:.1f})"
    )
    lat = f["check_latency"]
    print(f"one check (engine): p50 {lat['p50_ms']:.2f} ms  p99 {lat['p99_ms']:.2f} ms")
    api = f["api_latency"]
    if api:
        print(f"POST /api/v1/offers/check: p50 {api['p50_ms']:.2f} ms  p99 {api['p99_ms']:.2f} ms")
    else:
        print("POST /api/v1/offers/check: web layer not installed, not measured")


if __name__ == "__main__":
    main()
