"""The hand-written evaluation sets: shape, independence from the corpus, and the targets."""

from __future__ import annotations

import pytest

from ctip.offers.engine import OfferChecker
from ctip.offers.evalset import LANGS, evaluate, figures, load_evalset
from ctip.offers.model import OfferModel, load_corpus, rule_vector


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


def test_one_calibration_for_every_language(offer_model: OfferModel) -> None:
    """The same evidence gives the same score whatever language the offer is in."""
    import numpy as np

    assert set(offer_model.platt) == {"*"}
    texts = ["typing job, Telegram only"] * 5
    rules = np.ones((5, len(rule_vector({}))))
    scores = offer_model.score(texts, rules, list(LANGS))
    assert len(set(np.round(scores, 12))) == 1
