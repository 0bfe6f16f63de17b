"""Importing lecture_utils changes nothing global, and the public contract is importable."""

from __future__ import annotations

import subprocess
import sys

import lecture_utils

CONTRACT = [
    "sigmoid", "tanh", "relu", "leaky_relu", "identity", "sigmoid_grad", "tanh_grad", "relu_grad",
    "leaky_relu_grad", "identity_grad", "ACTIVATIONS", "get_activation", "dense", "forward",
    "collapse_linear", "logsumexp", "softmax", "log_softmax", "naive_softmax",
    "binary_cross_entropy", "cross_entropy", "cross_entropy_from_logits", "one_hot",
]


def test_contract_is_importable_from_the_top_level():
    missing = [name for name in CONTRACT if not hasattr(lecture_utils, name)]
    assert not missing


def test_import_changes_no_rcparams_no_seed_and_reads_no_files():
    code = (
        "import matplotlib as mpl, numpy as np, builtins\n"
        "before = dict(mpl.rcParams)\n"
        "np.random.seed(123); a = np.random.random()\n"
        "opened = []\n"
        "real_open = builtins.open\n"
        "def spy(f, *a, **k):\n"
        "    opened.append(str(f)); return real_open(f, *a, **k)\n"
        "builtins.open = spy\n"
        "np.random.seed(123)\n"
        "import lecture_utils, lecture_utils.widgets, lecture_utils.exercises, lecture_utils.style\n"
        "builtins.open = real_open\n"
        "assert np.random.random() == a, 'import touched the global random state'\n"
        "changed = [k for k, v in mpl.rcParams.items() if before.get(k) != v and k != 'backend']\n"
        "assert not changed, changed\n"
        "data = [f for f in opened if '/data/' in f]\n"
        "assert not data, data\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_use_lecture_style_is_explicit_and_validated():
    import matplotlib as mpl
    import pytest

    from lecture_utils.style import lecture_rc, use_lecture_style

    with mpl.rc_context():
        use_lecture_style(1.2)
        assert mpl.rcParams["font.size"] == lecture_rc(1.2)["font.size"]
    with pytest.raises(ValueError):
        use_lecture_style(10)
