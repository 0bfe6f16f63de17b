"""Text fixes for notebooks 03 and 04 found by the audit of issues 11 and 12 (helper audit-b).

Run once after merging the slides branches (idempotent: a fix already applied is skipped):

    .venv/bin/python notebook_fixes.py

Each fix finds its cell by id, asserts that the old text is there (or the new text already is),
replaces it and writes the notebook back with nbformat. Only markdown cells are touched, so no
recorded NBVAL_CHECK_OUTPUT output changes.
"""

from __future__ import annotations

from pathlib import Path

import nbformat

NOTEBOOKS = Path(__file__).resolve().parent / "notebooks"

# (notebook, cell id, old text, new text, why)
FIXES: list[tuple[str, str, str, str, str]] = [
    (
        "03_universal_approximation.ipynb", "80fc4511",
        "12: the mean error falls, the max stays near 1, and the circle on the error map sits on a cell corner.",
        "12: the mean error falls, the max does not (it stays near 1 for every n but 4, whose cell corners all\n"
        "miss the tall hill's peak), and the circle on the error map sits on a cell corner.",
        # With M = 1 the read-out's max (grid + every cell corner) for n = 3 … 12 is 0.93, 0.63, 0.96,
        # 0.91, 0.88, 0.97, 0.95, 0.94, 0.96, 0.99: "stays near 1" was false at n = 4 (0.63), and the
        # student is asked to step through exactly these n.
        "n = 4 reads 0.63, not near 1",
    ),
    (
        "04_theorem_and_depth.ipynb", "41741088",
        "Hornik (1991) for any bounded, non-constant $\\sigma$.",
        "Hornik (1991) for any continuous, bounded, non-constant $\\sigma$ (bounded and non-constant alone give\n"
        "a small *mean-square* error, not a small max error).",
        # Hornik 1991, Thm 2: ψ continuous, bounded, non-constant ⇒ dense in C(X) for compact X (the
        # uniform statement this section is about); Thm 1: bounded, non-constant ⇒ dense in L^p(μ) only.
        "Hornik's uniform theorem needs a continuous activation",
    ),
    (
        "04_theorem_and_depth.ipynb", "a8de3a92",
        "Cybenko (1989) proved it for sigmoids, Hornik (1991) for bounded non-constant activations.",
        "Cybenko (1989) proved it for sigmoids, Hornik (1991) for continuous, bounded, non-constant activations.",
        # the summary repeats the statement of section 1: same correction
        "summary: same Hornik correction",
    ),
    (
        "04_theorem_and_depth.ipynb", "657cf71d",
        "A grid construction (bumps, towers) needs a unit per cell; for a\n"
        "Lipschitz $f$ (constant $L$) the cells must have side $2\\varepsilon/L$,",
        "A grid construction (bumps, towers) needs a unit per cell; for a\n"
        "Lipschitz $f$ (constant $L$: $|f(\\mathbf x) - f(\\mathbf y)| \\le L \\max_i |x_i - y_i|$) the cells must have side $2\\varepsilon/L$,",
        # side 2ε/L holds for the max-norm Lipschitz constant (every point of a cell is within h/2 of its
        # centre in each coordinate) — what grid_cells_needed computes; with the Euclidean norm the
        # side would be 2ε/(L√d).
        "say which Lipschitz constant the 2ε/L uses",
    ),
    (
        "04_theorem_and_depth.ipynb", "657cf71d",
        "but a method that must work for *all* Lipschitz $f$ cannot escape a cost that grows exponentially with $d$ "
        "(DeVore, Howard & Micchelli 1989).",
        "but a method that must work for *all* Lipschitz $f$, with weights that depend continuously on $f$, cannot\n"
        "escape a cost that grows exponentially with $d$ (DeVore, Howard & Micchelli 1989).",
        # DeVore, Howard & Micchelli's lower bound n^(-r/d) is for continuous parameter selection; without
        # that hypothesis the statement as written is not what the cited paper proves.
        "DeVore et al.'s bound assumes continuous parameter selection",
    ),
]


def apply(notebooks: Path = NOTEBOOKS) -> list[str]:
    """Apply every fix; return one line per fix: 'fixed', or 'already applied'."""
    report, books = [], {}
    for name, cell_id, old, new, why in FIXES:
        nb = books.setdefault(name, nbformat.read(notebooks / name, as_version=4))
        cells = [c for c in nb.cells if c.get("id") == cell_id]
        assert len(cells) == 1, f"{name}: no single cell with id {cell_id}"
        cell = cells[0]
        if new in cell.source:
            report.append(f"{name} {cell_id}: already applied ({why})")
            continue
        assert old in cell.source, f"{name} {cell_id}: the text to replace is not there ({why}): {old!r}"
        cell.source = cell.source.replace(old, new, 1)
        report.append(f"{name} {cell_id}: fixed ({why})")
    for name, nb in books.items():
        nbformat.validate(nb)
        nbformat.write(nb, notebooks / name)
    return report


if __name__ == "__main__":
    print("\n".join(apply()))
