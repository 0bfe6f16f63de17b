"""SGD with L2, epochs, per-example gradients and the Trainer."""

from __future__ import annotations

import numpy as np
import pytest

from lecture_utils import collapse_linear, init_layers
from lecture_utils.backprop import backprop, l2_penalty
from lecture_utils.data import load
from lecture_utils.training import (Trainer, accuracy, flatten, flatten_per_example, minibatch_indices,
                                    per_example_gradients, sgd_step, stochastic_gradient_errors)


@pytest.fixture(scope="module")
def spiral():
    return load("spiral")


def _trainer(ds, **kw):
    return Trainer(ds.X_train, ds.y_train, ds.X_test, ds.y_test, **kw)


@pytest.mark.parametrize("n, bs", [(300, 32), (10, 4), (7, 7), (5, 100), (3, 1)])
def test_an_epoch_visits_every_example_once(n, bs):
    batches = minibatch_indices(n, bs, np.random.default_rng(0))
    assert len(batches) == -(-n // bs)
    assert sorted(np.concatenate(batches).tolist()) == list(range(n))
    assert all(len(b) == min(bs, n) for b in batches[:-1])


def test_minibatches_are_shuffled_and_reproducible():
    a = minibatch_indices(50, 10, np.random.default_rng(1))
    b = minibatch_indices(50, 10, np.random.default_rng(1))
    assert all(np.array_equal(x, y) for x, y in zip(a, b))
    assert not np.array_equal(np.concatenate(a), np.arange(50))
    with pytest.raises(ValueError, match="batch_size"):
        minibatch_indices(10, 0, np.random.default_rng(0))


def test_sgd_step_is_the_lectures_update():
    W, b = np.array([[0.5, -1.0], [2.0, 0.0]]), np.array([1.0, -1.0])
    dW, db = np.array([[0.1, 0.2], [-0.3, 0.4]]), np.array([0.5, 0.5])
    (W2, b2), = sgd_step([(W, b)], [(dW, db)], lr=0.1, lam=0.01, lr_reg=0.2)
    np.testing.assert_allclose(W2, W - 0.1 * dW - 0.2 * 0.01 * W)
    np.testing.assert_allclose(b2, b - 0.1 * db)  # biases are not decayed
    (W3, _), = sgd_step([(W, b)], [(dW, db)], lr=0.1, lam=0.01)  # η_r defaults to η_p
    np.testing.assert_allclose(W3, W - 0.1 * (dW + 0.01 * W))
    np.testing.assert_array_equal(W, [[0.5, -1.0], [2.0, 0.0]])  # inputs untouched


def test_sgd_step_errors():
    layer = [(np.zeros((2, 2)), np.zeros(2))]
    with pytest.raises(ValueError, match="layer 1: gradient shapes"):
        sgd_step(layer, [(np.zeros((2, 3)), np.zeros(2))], lr=0.1)
    with pytest.raises(ValueError, match="lr must be"):
        sgd_step(layer, [(np.zeros((2, 2)), np.zeros(2))], lr=0.0)
    with pytest.raises(ValueError, match="one \\(dW, db\\) per layer"):
        sgd_step(layer, [], lr=0.1)


@pytest.mark.parametrize("activation", ["relu", "tanh", "identity"])
def test_mean_of_per_example_gradients_is_the_full_batch_gradient(spiral, activation):
    X, y = spiral.X_train[:40], spiral.y_train[:40]
    layers = init_layers([2, 16, 8, 3], np.random.default_rng(0))
    pe = per_example_gradients(X, y, layers, activation)
    full = backprop(X, y, layers, activation).grads
    for (pW, pb), (W, b) in zip(pe, full):
        np.testing.assert_allclose(pW.mean(axis=0), W, atol=1e-13)
        np.testing.assert_allclose(pb.mean(axis=0), b, atol=1e-13)
    for i in (0, 17, 39):  # each row is that example's own gradient
        single = backprop(X[i:i + 1], y[i:i + 1], layers, activation).grads
        np.testing.assert_allclose(flatten([(w[i], c[i]) for w, c in pe]), flatten(single), atol=1e-12)


def test_a_random_examples_gradient_is_right_on_average(spiral):
    X, y = spiral.X_train, spiral.y_train
    layers = init_layers([2, 16, 3], np.random.default_rng(0))
    pe = per_example_gradients(X, y, layers, "relu")
    P = flatten_per_example(pe)
    assert P.shape == (300, 2 * 16 + 16 + 16 * 3 + 3)
    np.testing.assert_array_equal(P[5], flatten([(w[5], c[5]) for w, c in pe]))
    full = flatten(backprop(X, y, layers, "relu").grads)
    errs = stochastic_gradient_errors(P, full, [1, 100, 10000], np.random.default_rng(0))
    assert errs[0] > 0.3 and errs[2] < 0.1 and errs[2] < errs[1] < errs[0]


def test_accuracy():
    assert accuracy(np.array([[2.0, 1.0], [0.0, 3.0], [1.0, 0.0]]), [0, 1, 1]) == pytest.approx(2 / 3)


def test_step_lowers_the_loss_and_history_grows(spiral):
    t = _trainer(spiral, lr=0.1, batch_size=300, lam=0.0)
    before = t.metrics()["train_loss"]
    t.step_epoch()
    assert t.metrics()["train_loss"] < before and t.epoch == 1 and t.steps == 1
    t.batch_size = 32
    t.step_epoch()
    assert t.steps == 1 + 10 and len(t.history["train_loss"]) == 3
    assert t.objective() == pytest.approx(t.history["train_loss"][-1] + l2_penalty(t.layers, t.lam))


def test_reset_restores_the_seeded_start_and_the_same_trajectory(spiral):
    t = _trainer(spiral, seed=3)
    start = [(W.copy(), b.copy()) for W, b in t.layers]
    first = t.train(3)
    t.reset()
    assert t.epoch == 0 and t.steps == 0 and len(t.history["epoch"]) == 1
    for (W, b), (W0, b0) in zip(t.layers, start):
        np.testing.assert_array_equal(W, W0)
        np.testing.assert_array_equal(b, b0)
    assert t.train(3) == first  # same shuffles, same updates, bit for bit


@pytest.mark.parametrize("seed", range(5))
def test_defaults_reach_95_percent_on_the_spiral(spiral, seed):
    t = _trainer(spiral, seed=seed)  # relu, width 64, lr 0.5, batch 32, λ 1e-4: plain SGD
    for _ in range(60):
        if t.step_epoch()["train_acc"] >= 0.95:
            break
    assert t.metrics()["train_acc"] >= 0.95


def test_identity_network_stays_linear_and_cannot_separate_the_spiral(spiral):
    t = _trainer(spiral, activation="identity", hidden=(32,))
    t.train(30)
    W, b = collapse_linear(t.layers)
    np.testing.assert_allclose(t.logits(spiral.X_train), spiral.X_train @ W + b, atol=1e-10)
    assert t.metrics()["train_acc"] < 0.7


def test_momentum_option_trains_and_resets(spiral):
    t = _trainer(spiral, momentum=0.9, lr=0.05)
    t.train(5)
    assert t.metrics()["train_loss"] < t.history["train_loss"][0]
    t.reset()
    assert all(np.all(vW == 0) for vW, _ in t._velocity)


def test_reset_can_change_the_architecture(spiral):
    t = _trainer(spiral)
    t.reset(hidden=(8, 4), activation="tanh")
    assert [W.shape for W, _ in t.layers] == [(2, 8), (8, 4), (4, 3)] and t.activation == "tanh"
