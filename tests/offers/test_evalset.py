"""The hand-written evaluation sets: shape, independence from the corpus, and the targets."""

from __future__ import annotations

import pytest

from ctip.offers.engine import OfferChecker
from ctip.offers.evalset import LANGS, evaluate, figures, load_evalset
from ctip.offers.model import (
    OFFSET_PRIOR_SD,
    OfferModel,
    language_offsets,
    load_corpus,
    rule_vector,
)


def test_sets_have_the_promised_shape() -> None:
    holdout, dev = load_evalset("holdout"), load_evalset("dev")
    assert len(holdout) >= 200 and len(dev) >= 100
    for messages in (holdout, dev):
        assert {m.lang for m in messages} == set(LANGS)
        assert len({m.id for m in messages}) == len(messages)
        for lang in LANGS:
            labels = [m.label for m in messages if m.lang == lang]
            assert 0 < sum(labels) < len(labels)  # deceptive and legitimate in each language
    assert {m.register for m in holdout} == {"chat", "formal"}


def test_sets_share_no_message_with_each_other_or_the_corpus() -> None:
    holdout = {m.text for m in load_evalset("holdout")}
    dev = {m.text for m in load_evalset("dev")}
    corpus = {e.text for e in load_corpus()}
    assert not holdout & dev and not holdout & corpus and not dev & corpus


def test_unknown_set_is_refused() -> None:
    with pytest.raises(ValueError):
        load_evalset("test")


@pytest.mark.parametrize(
    ("labels", "flagged", "recall", "false_alarms"),
    [
        ([1, 1, 0, 0], [True, False, False, False], 0.5, 0.0),
        ([1, 0, 0, 0, 0], [True, True, False, False, False], 1.0, 0.25),
    ],
)
def test_figures(labels: list[int], flagged: list[bool], recall: float, false_alarms: float):
    f = figures(labels, flagged)
    assert (f.recall, f.false_alarm_rate) == (recall, false_alarms)
    tp, fp = 0.05 * recall, 0.95 * false_alarms
    assert f.precision_at_prevalence == pytest.approx(tp / (tp + fp))


def test_holdout_meets_the_targets(checker: OfferChecker) -> None:
    """Measured, not tuned: the holdout set is never read by training or thresholds."""
    holdout = load_evalset("holdout")
    result = evaluate(holdout, [r.risk for r in checker.check_many([m.text for m in holdout])])
    assert result["all"].recall >= 0.85 and result["all"].false_alarm_rate <= 0.05
    assert all(result[lang].recall >= 0.75 for lang in LANGS)


def test_one_calibration_with_small_offsets_per_language(offer_model: OfferModel) -> None:
    """The same evidence gives the same score within a language, and across languages it
    differs only by that language's fitted offset (held near 0 by its prior)."""
    import numpy as np

    shift = offer_model.platt["*"][1]
    assert set(offer_model.platt) <= {"*", *LANGS}
    assert all(
        a == 1.0 and abs(b - shift) <= 3 * OFFSET_PRIOR_SD for a, b in offer_model.platt.values()
    )
    texts = ["typing job, Telegram only"] * 6
    rules = np.zeros((6, len(rule_vector({}))))
    scores = offer_model.score(texts, rules, [*LANGS, "fr"])
    logits = np.log(scores / (1 - scores))
    z = logits[-1] - shift  # another language: the shared calibration
    for lang, logit in zip(LANGS, logits[:-1], strict=True):
        assert logit == pytest.approx(z + offer_model.platt.get(lang, (1.0, shift))[1], abs=1e-9)


@pytest.mark.parametrize(
    ("positives_z", "negatives_z", "sign"),
    [
        ([-1.0, -0.5, 0.0], [-3.0, -4.0, -5.0], 1),  # deceptive offers score too low: up
        ([5.0, 4.0, 3.0], [1.0, 0.5, 0.0], -1),  # legitimate offers score too high: down
        ([2.0, 3.0], [-2.0, -3.0], 0),  # already calibrated: about 0
    ],
)
def test_language_offsets_follow_the_data(
    positives_z: list[float], negatives_z: list[float], sign: int
) -> None:
    import numpy as np

    z = np.array([*positives_z, *negatives_z, 0.0])
    y = np.array([1] * len(positives_z) + [0] * len(negatives_z) + [1])
    langs = np.array(["th"] * (len(z) - 1) + ["km"])
    offsets = language_offsets(z[:-1], y[:-1], langs[:-1], np.ones(len(z) - 1))
    assert set(offsets) == {"th"}  # no data, no offset
    if sign:
        assert offsets["th"] * sign > 0.3
    else:
        assert abs(offsets["th"]) < 0.3
