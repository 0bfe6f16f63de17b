"""The over-confident network of notebook 05 (lecture_utils.overconfidence): the recipe is notebook
07's Trainer, the stored checkpoints are the network at those epochs, bad input is explained."""

from __future__ import annotations

import numpy as np
import pytest

from lecture_utils.data import load
from lecture_utils.overconfidence import (CHECKPOINTS, RECIPE, checkpoint_index, layers_at, logits_at,
                                          train_overconfident_network)
from lecture_utils.training import Trainer


def _tiny(rng, n):
    X = rng.standard_normal((n, 4))
    return X, (X[:, 0] > 0).astype(int) + (X[:, 1] > 1).astype(int)


def test_training_records_history_and_the_weights_of_each_checkpoint():
    rng = np.random.default_rng(0)
    (X, y), (Xt, yt) = _tiny(rng, 40), _tiny(rng, 30)
    out = train_overconfident_network(X, y, Xt, yt, epochs=6, checkpoints=(0, 2, 6))
    assert out["epoch"].tolist() == list(range(7)) and out["checkpoint_epochs"].tolist() == [0, 2, 6]
    assert out["W1"].shape == (3, 4, 64) and out["b2"].shape == (3, 3)
    for c, epochs in enumerate((0, 2, 6)):   # the same as notebook 07's Trainer after that many epochs
        trainer = Trainer(X, y, Xt, yt, **RECIPE)
        trainer.train(epochs)
        np.testing.assert_array_equal(out["W1"][c], trainer.layers[0][0])
        np.testing.assert_array_equal(out["b2"][c], trainer.layers[1][1])
    assert out["test_loss"][6] == trainer.history["test_loss"][6]


@pytest.mark.parametrize("checkpoints", [(), (0, 7), (3, 1), (0, 0, 2), (-1, 2)])
def test_bad_checkpoints_are_explained(checkpoints):
    rng = np.random.default_rng(1)
    (X, y), (Xt, yt) = _tiny(rng, 10), _tiny(rng, 10)
    with pytest.raises(ValueError, match="increasing epochs within 0 … 6"):
        train_overconfident_network(X, y, Xt, yt, epochs=6, checkpoints=checkpoints)


def test_layers_and_logits_at_a_stored_epoch():
    ds = load("calibration")
    assert tuple(int(e) for e in ds.checkpoint_epochs) == CHECKPOINTS
    assert checkpoint_index(ds, 1000) == len(CHECKPOINTS) - 1
    (W1, b1), (W2, b2) = layers_at(ds, 50)
    i = CHECKPOINTS.index(50)
    assert np.array_equal(W1, ds.W1[i]) and np.array_equal(b2, ds.b2[i])
    np.testing.assert_allclose(logits_at(ds, ds.X_test, 1000), ds.logits_test, rtol=1e-12, atol=1e-12)
    Z = logits_at(ds, ds.X_test[:5], 50)
    np.testing.assert_allclose(Z, np.maximum(ds.X_test[:5] @ W1 + b1, 0) @ W2 + b2, rtol=1e-12)


@pytest.mark.parametrize("call, error, match", [
    (lambda ds: checkpoint_index(ds, 4), ValueError, r"stored checkpoints \[0, 1, 2, 3, 5"),
    (lambda ds: layers_at(ds, 2.0), ValueError, "stored checkpoints"),
    (lambda ds: logits_at(ds, np.zeros((3, 2)), 0), ValueError, r"22 columns.*\(3, 2\)"),
    (lambda ds: logits_at(ds, np.zeros(22), 0), ValueError, "2-D"),
    (lambda ds: layers_at(load("xor"), 0), TypeError, r"load\('calibration'\)"),
    (lambda ds: layers_at(None, 0), TypeError, r"load\('calibration'\); got NoneType"),
    (lambda ds: checkpoint_index(float("nan"), 0), TypeError, r"load\('calibration'\)"),
])
def test_bad_input_is_explained(call, error, match):
    with pytest.raises(error, match=match):
        call(load("calibration"))


@pytest.mark.parametrize("kwargs, error, match", [
    ({"epochs": 10**12}, ValueError, "far larger"),          # fails fast instead of training for days
    ({"epochs": 2.5}, ValueError, "whole number"),
    ({"epochs": "6"}, TypeError, "whole number"),
    ({"checkpoints": "0 1"}, TypeError, "tuple of epochs"),
    ({"checkpoints": (0, "1")}, TypeError, r"checkpoints\[1\]"),
    ({"checkpoints": (0, 1.5)}, TypeError, "whole epochs"),
])
def test_bad_epochs_and_checkpoints_are_explained(kwargs, error, match):
    rng = np.random.default_rng(1)
    (X, y), (Xt, yt) = _tiny(rng, 10), _tiny(rng, 10)
    with pytest.raises(error, match=match):
        train_overconfident_network(X, y, Xt, yt, **{"epochs": 6, "checkpoints": (0, 6), **kwargs})
