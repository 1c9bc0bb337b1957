"""The bulk path (ctip.offers.fast) gives exactly the reference path's answers."""

from __future__ import annotations

import json
import re
import sys

import numpy as np
import pytest

from ctip.offers import fast, fast_amounts, language
from ctip.offers.engine import OfferChecker
from ctip.offers.evalset import load_evalset
from ctip.offers.model import load_corpus
from ctip.offers.normalize import find_amounts, normalise_text
from ctip.offers.scan import scan_lines
from ctip.offers.wages import default_wage_table


def _answer(r: object) -> tuple[object, ...]:
    return tuple(getattr(r, f) for f in ("risk", "score", "language", "flags", "identifiers"))


@pytest.mark.parametrize("name", ["corpus", "dev", "holdout"])
def test_same_flags_quotes_scores_and_risk_as_the_reference(
    checker: OfferChecker, name: str
) -> None:
    if name == "corpus":
        texts = [e.text for e in load_corpus()]
    else:
        texts = [m.text for m in load_evalset(name)]
    for i in range(0, len(texts), 1000):
        batch = texts[i : i + 1000]
        ref = checker.check_many(batch, reference=True)
        new = checker.check_many(batch)
        for text, a, b in zip(batch, ref, new, strict=True):
            assert _answer(a) == _answer(b), text
            assert a == b, text  # also sentences, advice, checklist and hotlines


EDGE_CASES = [
    "",
    "   ",
    "12345678",
    "😀😀😀 ok",
    "\u200bSalary\u200c $1,500 per month, no experience, Telegram @job_kh1",
    "ប្រាក់ខែ ៣០០០ ដុល្លារ ទូរស័ព្ទ ០១២ ៣៤៥ ៦៧៨",
    "月入过万 不要告诉家人 微信: abc_123",
    "luong cao 15 trieu, khong can kinh nghiem, lien he zalo: 0912345678",
    "Lương 1500$ làm việc ở Campuchia, SĐT 0912 345 678",
    "งานง่าย รายได้ดี ๓๐,๐๐๐ บาท ไลน์ไอดี: job123",
    "Online shop assistant in Phnom Penh, call 012 345 678, our office: street 271",
    "Ｓａｌａｒｙ　１５００＄ Ａｇｅ 18-25",
    "a\u0301b\u0300 café résumé 1.000.000 đ mỗi ngày",
    "kk园 老街 Myawaddy casino typing, bring only your phone",
    "Travail facile au Cambodge, salaire 2000 euros par mois",
]


@pytest.mark.parametrize("text", EDGE_CASES)
def test_edge_cases_match_the_reference(checker: OfferChecker, text: str) -> None:
    assert checker.check_many([text]) == checker.check_many([text], reference=True)
    assert checker.check(text) == checker.check_many([text], reference=True)[0]


def test_batch_languages_equal_one_at_a_time() -> None:
    texts = EDGE_CASES + [m.text for m in load_evalset("holdout")]
    assert fast.detect_languages(texts) == [language.detect_language(t) for t in texts]


def test_script_tables_equal_the_patterns_for_every_code_point() -> None:
    scripts, viet = fast._script_table(), fast._viet_table()
    marks = {m: i for i, m in enumerate(("", "\x01", "\x02", "\x03", "\x04"))}
    for cp in range(0x10000):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        ch = chr(cp)
        mark = ch.translate(language._SCRIPT_MARKS)
        assert scripts[cp] == marks.get(mark, 0), hex(cp)
        assert viet[cp] == (1.0 if language._VIET.match(ch) else 0.0), hex(cp)
    assert scripts[0x10000] == 0 and viet[0x10000] == 0  # every higher code point


def test_space_squeeze_equals_the_regex_for_every_code_point() -> None:
    space = re.compile(r"\s+")
    for cp in range(sys.maxunicode + 1):
        if not 0xD800 <= cp <= 0xDFFF:
            ch = chr(cp)
            assert bool(space.fullmatch(ch)) == ch.isspace(), hex(cp)


def test_text_model_scores_are_identical(checker: OfferChecker) -> None:
    model = checker.model
    assert model is not None
    texts = [fast.normalise(m.text).text for m in load_evalset("dev")] + ["", " a  b "]
    reference = model.text_logit(texts, normalised=True)
    assert np.array_equal(fast.text_logit(model, texts), reference)


def test_scan_records_equal_the_reference(checker: OfferChecker) -> None:
    texts = [m.text for m in load_evalset("holdout")] + EDGE_CASES
    lines = [json.dumps({"id": i, "text": t}, ensure_ascii=False) for i, t in enumerate(texts)]
    lines.append("not json, a plain line: salary 3000$ Telegram @boss_kh")
    numbers = list(range(1, len(lines) + 1))
    for floor in ("none_found", "medium"):
        fast_records = scan_lines(checker, lines, numbers, floor)
        assert fast_records == scan_lines(checker, lines, numbers, floor, reference=True)
    assert fast_records  # some posts are flagged


def test_amounts_equal_the_reference_on_every_message() -> None:
    texts = [e.text for e in load_corpus()] + [
        m.text for s in ("dev", "holdout") for m in load_evalset(s)
    ]
    texts += EDGE_CASES
    wages = default_wage_table()
    read = 0
    for text, lang in zip(texts, fast.detect_languages(texts), strict=True):
        norm = normalise_text(text)
        amounts = fast_amounts.find_amounts(norm, lang, wages)
        assert amounts == find_amounts(norm, lang, wages), text
        read += len(amounts)
    assert read > 10_000


IDENTIFIER_CASES = [
    "mail job.kh@example.com or telegram @job_kh1, t.me/jobkh22",
    "LINE: thai_job9 / ไลน์ไอดี: abcd99, wechat abc_123, zalo group",
    "Online jobs, line abc, call +855 12 345 678",
    "@recruit.kh. contact a.b@c.d.e",
    "wa.me/85512345678 and vx: hr_vip8",
]


@pytest.mark.parametrize("text", IDENTIFIER_CASES + EDGE_CASES)
def test_identifiers_equal_the_reference(text: str) -> None:
    from ctip.offers.identifiers import extract_identifiers

    norm, lang = normalise_text(text), language.detect_language(text)
    assert fast.identifiers(text, lang, norm) == extract_identifiers(text, lang, norm)


KIND_WINDOWS = [
    "",
    "salary ",
    "processing fee of ",
    "salary high. deposit ",  # the clause after the full stop decides
    "pay him ",
    "pay the agent ",
    "you pay then salary ",
    "wages, no fees, deducted ",
    "top up ",
    "topup ",
    "bride price ",
    "parents get ",
    "lương cọc ",
    "luong coc phi ",
    "月薪 押金 ",
    "交保证金",
    "เงินเดือน มัดจำ ",
    "ប្រាក់ខែ បង់ ",
    "feesalary",  # overlapping words: the earlier match wins, as in finditer
    "depositearn",
]


@pytest.mark.parametrize("window", KIND_WINDOWS)
def test_amount_kind_equals_the_reference(window: str) -> None:
    from ctip.offers.normalize import amount_kind

    fast_amounts._kind_of.cache_clear()
    assert fast_amounts._kind_of(window) == amount_kind(window, len(window), len(window))
