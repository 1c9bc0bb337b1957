"""Property tests (hypothesis): the normalisers, the importers' cell readers and the offer
checker's text handling take any Unicode — empty, huge, mixed scripts, control characters,
lone surrogates — and answer with a value or their domain error, never a crash."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ctip.identifiers.normalize import normalise, raw_key, search_forms
from ctip.imports import values
from ctip.offers.engine import OfferChecker
from ctip.offers.normalize import find_amounts, normalise_text
from ctip.persons.names import name_keys, normalise_name, query_keys, query_terms
from ctip.reference import IDENTIFIER_TYPES

BOUNDED = settings(max_examples=60, deadline=None, derandomize=True, database=None)

# Text a hostile or careless user types: any code point (surrogates included), control
# characters, and runs of the scripts the registry meets.
SCRIPTS = st.sampled_from(
    ["Sok Dara", "សុខ ដារា", "สมชาย", "Nguyễn Văn", "王小明", "+855 12 345 678", "@bro_ker"]
)
ANY_TEXT = st.one_of(
    st.text(st.characters(codec=None, min_codepoint=0), max_size=200),
    st.text(st.characters(categories=["Cc", "Cf", "Zs", "Mn", "Cs"]), max_size=50),
    st.lists(SCRIPTS | st.text(max_size=5), max_size=8).map("".join),
    st.just(""),
)
CELL = st.one_of(
    ANY_TEXT,
    st.none(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.dates(),
    st.lists(st.text(max_size=10), max_size=4),
)


@BOUNDED
@given(id_type=st.sampled_from(sorted(IDENTIFIER_TYPES)), raw=ANY_TEXT)
def test_identifier_normalise_never_crashes(id_type: str, raw: str) -> None:
    result = normalise(id_type, raw)
    assert result.value is None or isinstance(result.value, str)
    assert normalise(id_type, raw) == result  # deterministic
    if result.value is not None:
        again = normalise(id_type, result.value)
        assert again.value == result.value  # a canonical form is its own canonical form


@BOUNDED
@given(raw=ANY_TEXT)
def test_identifier_search_forms_always_include_the_raw_key(raw: str) -> None:
    forms = search_forms(raw)
    assert ("raw", raw_key(raw)) in forms
    assert len(forms) == len(set(forms))


def test_unknown_identifier_type_is_a_domain_error() -> None:
    with pytest.raises(ValueError, match="unknown identifier type"):
        normalise("shoe_size", "42")


@BOUNDED
@given(given_name=ANY_TEXT | st.none(), family=ANY_TEXT | st.none(), alias=ANY_TEXT)
def test_name_keys_never_crash_and_are_normalised(
    given_name: str | None, family: str | None, alias: str
) -> None:
    keys = name_keys(given_name, family, None, [alias])
    assert len(keys) == len(set(keys))
    for kind, form in keys:
        assert isinstance(kind, str) and isinstance(form, str)
    assert normalise_name(normalise_name(alias)) == normalise_name(alias)


@BOUNDED
@given(query=ANY_TEXT)
def test_name_query_keys_never_crash(query: str) -> None:
    assert isinstance(query_keys(query), list)
    assert isinstance(query_terms(query), list)


READERS: list[tuple[str, Any]] = [
    ("text", values.text),
    ("split", values.split),
    ("number", values.number),
    ("day", values.day),
    ("country", values.country),
    ("province", values.province),
    *[(f"code:{v}", lambda x, v=v: values.code(v, x)) for v in sorted(values.VOCABULARIES)],
]


@pytest.mark.parametrize(("name", "reader"), READERS, ids=[n for n, _ in READERS])
def test_import_cell_readers_answer_a_value_or_bad_value(name: str, reader: Any) -> None:
    @BOUNDED
    @given(cell=CELL)
    def check(cell: Any) -> None:
        try:
            got = reader(cell)
        except values.BadValue as error:
            assert error.template  # a message id the importer translates, naming the value
            return
        if name == "day":
            assert isinstance(got, date)
        elif name == "number":
            assert isinstance(got, int)

    check()


@BOUNDED
@given(text=ANY_TEXT)
def test_offer_text_normalisation_keeps_offsets(text: str) -> None:
    norm = normalise_text(text)
    assert norm.original == text
    start, end = norm.span(0, len(norm.text))
    assert 0 <= start <= end <= len(text)
    assert isinstance(find_amounts(norm), list)


@pytest.fixture(scope="module")
def bare_checker() -> OfferChecker:
    """The checker's rules without the fitted model: text handling is what is under test."""
    return OfferChecker(None)


@settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(text=ANY_TEXT, lang=st.sampled_from([None, "en", "km", "th", "vi", "zh"]))
def test_offer_checker_takes_any_text(
    bare_checker: OfferChecker, text: str, lang: str | None
) -> None:
    result = bare_checker.check(text, lang)
    assert result is not None


@pytest.mark.parametrize(
    "text",
    ["", " ", "\x00" * 50, "\ud800", "ញ" * 10_000, "a\u200b" * 5000, "Job! " * 2000],
    ids=["empty", "space", "nul", "surrogate", "khmer-10k", "zero-width", "long"],
)
def test_offer_checker_takes_edge_texts(bare_checker: OfferChecker, text: str) -> None:
    assert bare_checker.check(text) is not None
