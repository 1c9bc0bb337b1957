"""Build the synthetic labelled corpus for the offer checker, deterministically.

Run ``python -m ctip.offers.corpus.generate`` to rewrite ``offers_<lang>.jsonl`` next to
this file. Every message is assembled from phrase pools (``phrases_<lang>.py``); the
same seed always yields the same corpus. One phrase in five of each pool is *held out*:
training messages never use it, while dev and test messages draw half their phrases from
the held-out ones, so the evaluation sees wording the model never saw. Dev and test are
sampled at about 5 % deceptive, the prevalence of fraud among job ads. See PROVENANCE.md.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ctip.offers.corpus import phrases_en, phrases_km, phrases_th, phrases_vi, phrases_zh

HERE = Path(__file__).parent
SEED = 20240611
LANGS = ("km", "en", "th", "vi", "zh")
POOLS = {
    "en": phrases_en.POOLS,
    "km": phrases_km.POOLS,
    "th": phrases_th.POOLS,
    "vi": phrases_vi.POOLS,
    "zh": phrases_zh.POOLS,
}
# (legitimate, deceptive) per split and language: dev and test at 5 % deceptive.
SIZES = {"train": (700, 350), "dev": (570, 30), "test": (1520, 80)}
CUE_FAMILIES = ("C2", "C4", "C6", "C7", "C8", "C9", "C10", "C11", "C12")
# Short provenance codes, spelled out in PROVENANCE.md.
DECEPTIVE_NOTE = "synthetic:public-reports"  # OHCHR/UNODC/INTERPOL 2023, embassy advisories
LEGIT_NOTE = "synthetic:ordinary-ads"
HARD_NOTE = "synthetic:hard-negative"
INFORMAL_NOTE = "synthetic:informal-post"
_JOINERS = {
    "zh": ["\n", "，", " ", "。"],
    "th": ["\n", " ", " | "],
    "km": ["\n", " ", " | "],
    "en": ["\n", " ", ". ", " | "],
    "vi": ["\n", ". ", ", ", " | "],
}
_EMOJI = ["✅", "👉", "📌", "⭐", "🔥", "💵", "📞"]
_OVERSEAS = re.compile(r"EPS|日本|ជប៉ុន|ญี่ปุ่น|Nhật|Japan|MOU")


@dataclass
class Draw:
    """Random choices for one message, aware of the held-out phrases."""

    rng: random.Random
    split: str

    def pick(self, pool: list[str]) -> str:
        """A phrase: train never sees held-out ones; dev/test use them half the time."""
        held = [p for i, p in enumerate(pool) if i % 5 == 4]
        seen = [p for i, p in enumerate(pool) if i % 5 != 4] or pool
        if self.split != "train" and held and self.rng.random() < 0.5:
            return self.rng.choice(held)
        return self.rng.choice(seen)


def _handle(rng: random.Random) -> str:
    first = rng.choice(["hr", "job", "work", "boss", "agent", "recruit", "vip", "kh", "asia"])
    second = rng.choice(["team", "center", "online", "official", "service", "office", "group"])
    return f"{first}_{second}{rng.randint(1, 999)}"


def _phone(rng: random.Random, lang: str) -> str:
    """Random digits in a national layout; not taken from any post (see PROVENANCE.md)."""
    d = [str(rng.randint(0, 9)) for _ in range(8)]
    layouts = {
        "km": f"0{rng.choice(['10', '12', '15', '16', '70', '77', '88', '96'])} {''.join(d[:3])} {''.join(d[3:6])}",
        "en": f"+855 {rng.choice(['12', '17', '97', '98'])} {''.join(d[:3])} {''.join(d[3:6])}",
        "th": f"0{rng.choice(['6', '8', '9'])}{d[0]}-{''.join(d[1:4])}-{''.join(d[4:8])}",
        "vi": f"09{d[0]}{d[1]} {''.join(d[2:5])} {''.join(d[5:8])}",
        "zh": f"+86 13{d[0]} {''.join(d[1:5])} {''.join(d[5:8])}{rng.randint(0, 9)}",
    }
    return layouts[lang]


def _slug(rng: random.Random) -> str:
    return rng.choice(
        [
            "angkorstar",
            "mekongbright",
            "riverlight",
            "greenlotus",
            "rapidwheels",
            "sunrisetel",
            "goldenrice",
            "bluocean",
            "techbridge",
            "silverthread",
        ]
    )


def _address(rng: random.Random, lang: str) -> str:
    n, m = rng.randint(1, 300), rng.randint(2, 600)
    return {
        "en": f"No. {n}, Street {m}, Phnom Penh",
        "km": f"ផ្ទះលេខ {n} ផ្លូវលេខ {m} រាជធានីភ្នំពេញ",
        "th": f"{n} ถนนสุขุมวิท ซอย {m % 80} กรุงเทพฯ",
        "vi": f"Số {n} đường Lê Lợi, phường {m % 20}, quận {m % 12 + 1}",
        "zh": f"人民路{n}号{m % 30}楼",
    }[lang]


def _fill(template: str, d: Draw, lang: str, pools: dict[str, list[str]], legit: bool) -> str:
    """Replace every ``{slot}`` in a template."""
    rng = d.rng
    slug = _slug(rng)
    tld = {"km": "com.kh", "en": "com.kh", "th": "co.th", "vi": "com.vn", "zh": "cn"}[lang]
    values = {
        "role": d.pick(pools["l_role" if legit else "d_role"]),
        "place": d.pick(pools["l_place" if legit else "d_place"]),
        "company": d.pick(pools["l_company"]),
        "n": str(rng.randint(2, 50)),
        "handle": _handle(rng),
        "phone": _phone(rng, lang),
        "email": f"hr@{slug}.{tld}",
        "site": f"www.{slug}.{tld}",
        "address": _address(rng, lang),
        "lic": f"{rng.randint(100, 999)}/{rng.randint(18, 25)}",
    }
    return re.sub(r"\{(\w+)\}", lambda m: values.get(m[1], m[0]), template)


def _pay(lang: str, usd: float, rng: random.Random, crypto: bool) -> str:
    """Write a monthly pay figure the way posts in ``lang`` write it."""
    usd = round(usd / 50) * 50
    styles = {
        "en": [f"${usd:,}", f"{usd:,} USD", f"{usd}$", f"USD {usd:,}", f"{usd / 1000:g}k$"],
        "km": [f"{usd} ដុល្លារ", f"${usd}", f"{usd}$", f"{usd * 4000:,} រៀល"],
        "th": [f"{round(usd * 34, -3):,.0f} บาท", f"{round(usd * 34, -3):,.0f}฿", f"${usd:,}"],
        "vi": [
            f"{round(usd * 26 / 1000):g} triệu",
            f"{round(usd * 26 / 1000):g}tr",
            f"{usd}$",
            f"{round(usd * 26 / 1000):g}.000.000đ",
        ],
        "zh": [f"{round(usd * 7.2, -2):.0f}元", f"{usd * 7.2 / 10000:.1f}万", f"{usd}美金"],
    }[lang]
    if crypto:
        styles = [f"{usd}U", f"{usd} USDT", f"{usd:,} USDT"]
    text = rng.choice(styles)
    if lang == "km" and rng.random() < 0.5:
        text = text.translate(str.maketrans("0123456789", "០១២៣៤៥៦៧៨៩"))
    if lang == "th" and rng.random() < 0.15:
        text = text.translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙"))
    return text


_LEGIT_USD = {
    "km": (200, 650),
    "en": (200, 800),
    "th": (330, 900),
    "vi": (240, 800),
    "zh": (550, 1250),
}


def deceptive(d: Draw, lang: str) -> dict[str, object]:
    """One deceptive offer: overt (many cues) or subtle (few cues, modest pay)."""
    rng, pools = d.rng, POOLS[lang]
    subtle = rng.random() < 0.4
    k = rng.randint(0, 2) if subtle else rng.randint(3, 6)
    families = rng.sample(CUE_FAMILIES, k)
    usd = (
        rng.choice([450, 500, 600, 700, 800, 1000])
        if subtle
        else rng.choice([900, 1200, 1500, 1800, 2000, 2500, 3000, 3500, 5000])
    )
    disguised = rng.random() < 0.2  # a fake company name, address and "licence"
    job = pools["l_job"] if disguised else pools["d_job"]
    middle = [_fill(d.pick(job), d, lang, pools, False)]
    if disguised:
        middle += [
            _fill(d.pick(pools["l_cond"]), d, lang, pools, False),
            _fill(d.pick(pools["l_apply"]), d, lang, pools, False),
        ]
    if rng.random() < (0.6 if subtle else 0.95):
        pay = _pay(lang, usd, rng, "C12" in families and rng.random() < 0.6)
        middle.append(d.pick(pools["d_pay"]).replace("{pay}", pay))
    middle += [_fill(d.pick(pools[f]), d, lang, pools, False) for f in families]
    rng.shuffle(middle)
    lines = ([d.pick(pools["d_open"])] if rng.random() < 0.8 else []) + middle
    if rng.random() < 0.9:
        lines.append(_fill(d.pick(pools["d_contact"]), d, lang, pools, False))
    kind = "disguised" if disguised else ("subtle" if subtle else "overt")
    pattern = f"deceptive:{kind}:" + "+".join(families)
    return _record(d, lang, lines, 1, pattern, DECEPTIVE_NOTE)


def legitimate(d: Draw, lang: str) -> dict[str, object]:
    """One legitimate ad: a formal one, often a hard negative, or an informal post."""
    rng, pools = d.rng, POOLS[lang]
    if rng.random() < 0.25:
        return informal(d, lang)
    hard = rng.random() < 0.5
    lines = [d.pick(pools["l_open"])] if rng.random() < 0.7 else []
    lines.append(_fill(d.pick(pools["l_job"]), d, lang, pools, True))
    extras = [d.pick(pools["l_hard"]) for _ in range(rng.randint(1, 2))] if hard else []
    lo, hi = _LEGIT_USD[lang]
    usd = rng.uniform(lo, hi)
    if any(_OVERSEAS.search(x) for x in extras):
        usd = rng.uniform(1300, 2000)
    if rng.random() < 0.85:
        lines.append(d.pick(pools["l_pay"]).replace("{pay}", _pay(lang, usd, rng, False)))
    conds = [_fill(d.pick(pools["l_cond"]), d, lang, pools, True) for _ in range(rng.randint(1, 3))]
    body = conds + [_fill(x, d, lang, pools, True) for x in extras]
    rng.shuffle(body)
    lines += body
    if rng.random() < 0.9:
        lines.append(_fill(d.pick(pools["l_apply"]), d, lang, pools, True))
    pattern = "legitimate:" + ("hard" if hard else "plain")
    return _record(d, lang, lines, 0, pattern, HARD_NOTE if hard else LEGIT_NOTE)


def informal(d: Draw, lang: str) -> dict[str, object]:
    """A short legitimate post from a shop or family business: no company details."""
    rng, pools = d.rng, POOLS[lang]
    lo, hi = _LEGIT_USD[lang]
    text = _fill(d.pick(pools["l_informal"]), d, lang, pools, True)
    text = text.replace("{pay}", _pay(lang, rng.uniform(lo, hi * 0.8), rng, False))
    return _record(d, lang, [text], 0, "legitimate:informal", INFORMAL_NOTE)


def _record(
    d: Draw, lang: str, lines: list[str], label: int, pattern: str, note: str
) -> dict[str, object]:
    rng = d.rng
    decorated = [f"{rng.choice(_EMOJI)} {x}" if rng.random() < 0.15 else x for x in lines]
    joiner = rng.choice(_JOINERS[lang])
    if joiner.startswith("."):
        decorated = [x.rstrip(".") for x in decorated]
    text = joiner.join(dict.fromkeys(decorated))
    return {
        "text": text,
        "lang": lang,
        "label": label,
        "pattern": pattern,
        "source_note": note,
        "split": d.split,
    }


def build(seed: int = SEED) -> dict[str, list[dict[str, object]]]:
    """The whole corpus by language; exact duplicates of earlier texts are redrawn."""
    corpus: dict[str, list[dict[str, object]]] = {}
    for lang in LANGS:
        rng = random.Random(f"{seed}-{lang}")
        seen: set[str] = set()
        rows: list[dict[str, object]] = []
        for split, (n_legit, n_decept) in SIZES.items():
            d = Draw(rng, split)
            for maker, n in ((legitimate, n_legit), (deceptive, n_decept)):
                rows += _unique(maker, d, lang, n, seen)
        for i, row in enumerate(rows):
            row["id"] = f"{lang}-{i:05d}"
        corpus[lang] = rows
    return corpus


def _unique(
    make: Callable[[Draw, str], dict[str, object]], d: Draw, lang: str, n: int, seen: set[str]
) -> list[dict[str, object]]:
    """``n`` new messages whose texts were not drawn before."""
    out: list[dict[str, object]] = []
    while len(out) < n:
        row = make(d, lang)
        if row["text"] not in seen:
            seen.add(str(row["text"]))
            out.append(row)
    return out


def write(corpus: dict[str, list[dict[str, object]]], folder: Path = HERE) -> None:
    """Write one JSONL file per language."""
    keys = ("id", "lang", "split", "label", "pattern", "source_note", "text")
    for lang, rows in corpus.items():
        with (folder / f"offers_{lang}.jsonl").open("w", encoding="utf-8") as fh:
            for row in rows:
                fh.write(json.dumps({k: row[k] for k in keys}, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    write(build())
