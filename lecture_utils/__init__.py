"""lecture_utils: the small helper package behind the "Neural Networks 2" notebooks.

Put as little as possible in here. Maths is pure (``compute``-style functions, testable),
drawing lives in :mod:`lecture_utils.plotting`, panels in :mod:`lecture_utils.widgets`, and
homework checkers in :mod:`lecture_utils.exercises`. Importing the package changes no global
state: no rcParams, no seeds, no file reads.
"""

from .activations import (ACTIVATIONS, Activation, get_activation, identity, identity_grad,
                          leaky_relu, leaky_relu_grad, relu, relu_grad, sigmoid, sigmoid_grad,
                          tanh, tanh_grad)
from .forward_pass import ForwardResult, collapse_linear, dense, forward, init_layers
from .losses import binary_cross_entropy, cross_entropy, cross_entropy_from_logits, one_hot
from .softmax import log_softmax, logsumexp, naive_softmax, softmax, softmax_jacobian

__version__ = "0.1.0"

__all__ = [
    "ACTIVATIONS", "Activation", "get_activation",
    "identity", "identity_grad", "leaky_relu", "leaky_relu_grad", "relu", "relu_grad",
    "sigmoid", "sigmoid_grad", "tanh", "tanh_grad",
    "ForwardResult", "collapse_linear", "dense", "forward", "init_layers",
    "binary_cross_entropy", "cross_entropy", "cross_entropy_from_logits", "one_hot",
    "log_softmax", "logsumexp", "naive_softmax", "softmax", "softmax_jacobian",
]
