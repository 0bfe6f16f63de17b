"""Self-checking exercises: ``q.check(answer)``, ``q.hint()``, ``q.solution()``.

An exercise reports one of three states and never raises:

* ✓ correct,
* ✗ wrong — with the specific reason (wrong shape, wrong value at an input, raised an error …),
* "not attempted yet" — the answer is still the placeholder ``___`` (or a function that
  returns ``___``/``None`` or raises ``NotImplementedError``).

``check`` shows the verdict (HTML in a notebook, text elsewhere) and returns a
:class:`Result`, which is truthy only when the answer is correct.

Writing a new exercise (see also the README)::

    q1 = NumberExercise(
        name="softmax of (5, 4, 2), first entry",
        expected=0.7053845126982411, rtol=1e-3,
        hint="Exponentiate every score, then divide by the sum of the exponentials.",
        solution="np.exp(5) / np.exp([5, 4, 2]).sum()",
    )
"""

from __future__ import annotations

import html
import os
import re
import signal
import sys
import threading
import time
import traceback
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Sequence

import numpy as np

__all__ = [
    "___", "Placeholder", "Result", "Exercise", "NumberExercise", "ArrayExercise",
    "FunctionExercise", "ChoiceExercise", "ValueExercise", "is_placeholder", "graded_mode",
    "progress", "Progress",
]

CORRECT, WRONG, NOT_ATTEMPTED = "correct", "wrong", "not attempted"


class Placeholder:
    """The ``___`` a student replaces with an answer."""

    _instance: "Placeholder | None" = None

    def __new__(cls) -> "Placeholder":
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "___"

    def __bool__(self) -> bool:
        return False


___ = Placeholder()


def is_placeholder(answer: Any) -> bool:
    """True for ``___``, ``...`` and ``None``: the answer has not been filled in."""
    return answer is ___ or answer is Ellipsis or answer is None


class _Timeout(BaseException):
    """Raised in an answer that ran too long (BaseException: ``except Exception`` cannot catch it)."""


_GRADED_VALUES = {"1", "true", "yes"}


def graded_mode() -> bool:
    """True when ``LECTURE_UTILS_GRADED`` is 1 / true / yes (any case): graded homework, where
    :meth:`Exercise.solution` withholds the model answer (hints keep working)."""
    return os.environ.get("LECTURE_UTILS_GRADED", "").strip().lower() in _GRADED_VALUES


WITHHELD = ("Solutions are withheld for graded homework — `hint()` still works, and your "
            "lecturer will publish the solutions after the deadline.")


@dataclass
class Result:
    """The verdict of :meth:`Exercise.check`; truthy only when correct."""

    status: str
    message: str
    exercise: str = ""
    _shown: bool = field(default=False, repr=False, compare=False)

    def __bool__(self) -> bool:
        return self.status == CORRECT

    @property
    def correct(self) -> bool:
        return self.status == CORRECT

    def text(self) -> str:
        mark = {CORRECT: "✓ Correct", WRONG: "✗ Not yet", NOT_ATTEMPTED: "… Not attempted yet"}[self.status]
        head = f"{mark}" + (f" — {self.exercise}" if self.exercise else "")
        return f"{head}: {self.message}" if self.message else head

    def _repr_html_(self) -> str:
        colour = {CORRECT: "#009E73", WRONG: "#D55E00", NOT_ATTEMPTED: "#0072B2"}[self.status]
        return (f'<div style="border-left:6px solid {colour};padding:4px 10px;font-size:1.1em">'
                f"{html.escape(self.text())}</div>")

    def __repr__(self) -> str:
        return self.text()

    def _ipython_display_(self) -> None:  # shown once, even when also the cell's last value
        if self._shown:
            return
        self._shown = True
        _show_html(self._repr_html_(), self.text())


def _in_ipython() -> bool:
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython is a dependency of ipywidgets
        return False
    return get_ipython() is not None


def _show_html(html_text: str, plain: str) -> None:
    if _in_ipython():
        from IPython.display import HTML, display

        display(HTML(html_text))
    else:
        print(plain)


def _show_markdown(md: str) -> None:
    if _in_ipython():
        from IPython.display import Markdown, display

        display(Markdown(md))
    else:
        print(md)


def _describe(value: Any) -> str:
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape} (dtype {value.dtype})"
    if isinstance(value, (list, tuple)):
        return f"a {type(value).__name__} of length {len(value)}"
    text = repr(value)
    return f"{type(value).__name__} {text[:60]}"


class Exercise:
    """Base class: subclasses implement :meth:`_check`, returning (status, message).

    Parameters
    ----------
    name : str
        Short title shown with the verdict.
    hint : str or list of str
        Markdown; a list gives progressively stronger hints (``hint(2)`` …).
    solution : str
        Python code (or Markdown) shown by :meth:`solution` — and only then.
    """

    def __init__(self, name: str, hint: str | Sequence[str], solution: str) -> None:
        self.name = name
        self._hints = [hint] if isinstance(hint, str) else list(hint)
        self._solution = solution
        self._seed_override: int | None = None
        self.last_result: Result | None = None

    # -- public API --------------------------------------------------------------------------
    def check(self, answer: Any = ___, *, show: bool = True, seed: int | None = None) -> Result:
        """Check ``answer``; show and return the verdict. Never raises.

        ``seed`` replaces the visible seed of every random test input (hand-picked cases stay),
        so a hidden grading test can try the answer on inputs the student has never seen;
        exercises without random inputs ignore it.
        """
        try:
            self._seed_override = seed
            if is_placeholder(answer):
                status, message = NOT_ATTEMPTED, "replace ___ with your answer, then run this cell again."
            else:
                status, message = self._check(answer)
        except Exception as exc:  # a checker must never take the notebook down
            status, message = WRONG, f"could not check this answer ({type(exc).__name__}: {exc})."
        finally:
            self._seed_override = None
        result = Result(status, message, self.name)
        self.last_result = result
        if show:
            result._ipython_display_()
        return result

    def hint(self, n: int = 1) -> str:
        """Show hint number ``n`` (1 = gentlest) and return its text."""
        n = max(1, min(int(n), len(self._hints)))
        text = self._hints[n - 1]
        more = f"\n\n*(hint {n} of {len(self._hints)} — `hint({n + 1})` for more)*" if n < len(self._hints) else ""
        _show_markdown(f"**Hint:** {text}{more}")
        return text

    def solution(self) -> str:
        """Show the model solution and return it (in graded mode: a note that it is withheld)."""
        if graded_mode():
            _show_markdown(f"**Solution — {self.name}:** {WITHHELD}")
            return WITHHELD
        sol = self._solution
        md = sol if sol.lstrip().startswith(("```", "**", "#")) else f"```python\n{sol.strip()}\n```"
        _show_markdown(f"**Solution — {self.name}**\n\n{md}")
        return sol

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name!r}: call .check(answer), .hint() or .solution()>"

    # -- for subclasses ----------------------------------------------------------------------
    def _check(self, answer: Any) -> tuple[str, str]:  # pragma: no cover - abstract
        raise NotImplementedError


def _as_number(answer: Any) -> float | None:
    if isinstance(answer, bool):
        return None
    if isinstance(answer, (int, float, np.integer, np.floating)):
        return float(answer)
    if isinstance(answer, np.ndarray) and answer.size == 1 and answer.dtype.kind in "iuf":
        return float(answer.reshape(()))
    return None


class NumberExercise(Exercise):
    """The answer is one number, compared with a relative / absolute tolerance."""

    def __init__(self, name: str, expected: float, hint: str | Sequence[str], solution: str,
                 rtol: float = 1e-6, atol: float = 1e-9,
                 wrong_answers: dict[float, str] | None = None) -> None:
        super().__init__(name, hint, solution)
        self.expected, self.rtol, self.atol = float(expected), rtol, atol
        self.wrong_answers = wrong_answers or {}

    def _check(self, answer: Any) -> tuple[str, str]:
        value = _as_number(answer)
        if value is None:
            return WRONG, f"expected a single number; got {_describe(answer)}."
        if np.isnan(value):
            return WRONG, "your answer is NaN — look for a 0/0 or an overflow (inf − inf) in your computation."
        if np.isclose(value, self.expected, rtol=self.rtol, atol=self.atol):
            return CORRECT, f"{value:.6g}"
        for wrong, reason in self.wrong_answers.items():
            if np.isclose(value, wrong, rtol=self.rtol, atol=self.atol):
                return WRONG, f"{value:.6g} — {reason}"
        if np.isclose(value, -self.expected, rtol=self.rtol, atol=self.atol) and self.expected != 0:
            return WRONG, f"{value:.6g} has the right size but the wrong sign."
        return WRONG, f"{value:.6g} is not the expected value (check each step; tolerance {self.rtol:g} relative)."


def compare_arrays(got: Any, want: np.ndarray, rtol: float, atol: float, what: str = "your answer") -> str | None:
    """None if ``got`` matches ``want`` in shape and values, else the reason it does not."""
    try:
        arr = np.asarray(got, dtype=np.float64)
    except (TypeError, ValueError):
        return f"{what} should be an array of numbers; got {_describe(got)}."
    want = np.asarray(want, dtype=np.float64)
    if arr.shape != want.shape:
        extra = " (it looks transposed)" if arr.shape == want.shape[::-1] and arr.ndim == 2 else ""
        return f"{what} has shape {arr.shape}; expected {want.shape}{extra}."
    if np.isnan(arr).any() and not np.isnan(want).any():
        return (f"{what} contains NaN where the expected result has none — usually inf − inf, "
                f"0·(−inf) or 0/0 after an overflow or underflow in an intermediate step.")
    if np.isinf(arr).any() and not np.isinf(want).any():
        return (f"{what} contains ±inf where the expected result is finite — an exponential that "
                f"overflowed (subtract the max first) or the log of a value that rounded to 0 "
                f"(work in log space, e.g. with log-softmax).")
    if not np.allclose(arr, want, rtol=rtol, atol=atol, equal_nan=True):
        err = np.abs(arr - want)
        err = np.where(np.isnan(err), 0, err)
        idx = np.unravel_index(int(np.argmax(err)), arr.shape) if arr.ndim else ()
        return (f"{what} differs from the expected values; the largest difference is at index "
                f"{tuple(int(i) for i in idx)}: got {arr[idx]:.6g}, expected {want[idx]:.6g}.")
    return None


class ArrayExercise(Exercise):
    """The answer is an array (or nested list) compared in shape and values."""

    def __init__(self, name: str, expected: Any, hint: str | Sequence[str], solution: str,
                 rtol: float = 1e-6, atol: float = 1e-9) -> None:
        super().__init__(name, hint, solution)
        self.expected = np.asarray(expected, dtype=np.float64)
        self.rtol, self.atol = rtol, atol

    def _check(self, answer: Any) -> tuple[str, str]:
        reason = compare_arrays(answer, self.expected, self.rtol, self.atol)
        return (CORRECT, "every entry matches.") if reason is None else (WRONG, reason)


class ValueExercise(Exercise):
    """The answer is compared by equality after ``normalise`` (shapes as tuples, words …)."""

    def __init__(self, name: str, expected: Any, hint: str | Sequence[str], solution: str,
                 normalise: Callable[[Any], Any] = lambda v: v,
                 explain: Callable[[Any], str] | None = None) -> None:
        super().__init__(name, hint, solution)
        self.expected, self.normalise, self.explain = expected, normalise, explain

    def _check(self, answer: Any) -> tuple[str, str]:
        try:
            value = self.normalise(answer)
        except Exception:
            return WRONG, f"could not read {_describe(answer)} as an answer of the expected kind."
        if value == self.normalise(self.expected):
            return CORRECT, f"{value!r}"
        reason = self.explain(value) if self.explain else f"{value!r} is not right."
        return WRONG, reason


class ChoiceExercise(Exercise):
    """Pick the right set of options (e.g. ``{"A", "C"}``); order and case do not matter."""

    def __init__(self, name: str, options: dict[str, str], correct: Iterable[str],
                 hint: str | Sequence[str], solution: str, why: dict[str, str] | None = None) -> None:
        super().__init__(name, hint, solution)
        self.options = {k.upper(): v for k, v in options.items()}
        self.correct = {c.upper() for c in correct}
        self.why = {k.upper(): v for k, v in (why or {}).items()}

    def _check(self, answer: Any) -> tuple[str, str]:
        if isinstance(answer, str):
            picked = {a.strip().upper() for a in answer.replace(",", " ").split() if a.strip()}
        else:
            try:
                picked = {str(a).strip().upper() for a in answer}
            except TypeError:
                return WRONG, f"give the letters of your choices, e.g. {{'A', 'C'}}; got {_describe(answer)}."
        unknown = picked - set(self.options)
        if unknown:
            return WRONG, f"unknown option(s) {sorted(unknown)}; choose from {sorted(self.options)}."
        if picked == self.correct:
            return CORRECT, ", ".join(sorted(picked))
        missing, extra = self.correct - picked, picked - self.correct
        parts = []
        for opt in sorted(extra):
            parts.append(f"{opt} should not be chosen" + (f" — {self.why[opt]}" if opt in self.why else ""))
        for opt in sorted(missing):
            parts.append(f"{opt} is missing" + (f" — {self.why[opt]}" if opt in self.why else ""))
        return WRONG, "; ".join(parts) + "."


def call_with_timeout(func: Callable[..., Any], args: tuple, timeout: float) -> Any:
    """Call ``func(*args)``; raise ``_Timeout`` after ``timeout`` seconds where that is possible
    (SIGALRM in the main thread), otherwise after the call returns."""
    use_alarm = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    start = time.perf_counter()
    if use_alarm:
        def _raise(signum: int, frame: Any) -> None:
            raise _Timeout()
        old = signal.signal(signal.SIGALRM, _raise)
        signal.setitimer(signal.ITIMER_REAL, timeout)
        try:
            return func(*args)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, old)
    result = func(*args)
    if time.perf_counter() - start > timeout:
        raise _Timeout()
    return result


def _fmt_args(args: tuple) -> str:
    parts = []
    for a in args:
        if isinstance(a, np.ndarray):
            parts.append(f"array of shape {a.shape}" if a.size > 6 else np.array2string(a, precision=4))
        else:
            parts.append(repr(a)[:60])
    return ", ".join(parts)


class FunctionExercise(Exercise):
    """The answer is a function, run on several seeded inputs and compared with a reference.

    Parameters
    ----------
    reference : callable
        The model answer.
    cases : callable(rng) -> list of (args tuple, label)
        Builds the test inputs from a seeded generator: include the notebook's example, edge
        cases (large values, other shapes) and random draws, so a constant cannot pass.
    seed : int
        Seed for ``cases``.
    timeout : float
        Seconds allowed per call.
    """

    def __init__(self, name: str, reference: Callable[..., Any],
                 cases: Callable[[np.random.Generator], list[tuple[tuple, str]]],
                 hint: str | Sequence[str], solution: str, rtol: float = 1e-6, atol: float = 1e-9,
                 seed: int = 0, timeout: float = 2.0) -> None:
        super().__init__(name, hint, solution)
        self.reference, self.cases, self._seed = reference, cases, seed
        self.rtol, self.atol, self.timeout = rtol, atol, timeout

    @property
    def seed(self) -> int:
        """The seed of the random test inputs: the visible one, or the one given to ``check``."""
        return self._seed if self._seed_override is None else self._seed_override

    def _check(self, answer: Any) -> tuple[str, str]:
        if not callable(answer):
            return WRONG, f"expected a function (pass its name without brackets); got {_describe(answer)}."
        cases = self.cases(np.random.default_rng(self.seed))
        for i, (args, label) in enumerate(cases):
            copies = tuple(np.array(a, copy=True) if isinstance(a, np.ndarray) else a for a in args)
            want = self.reference(*copies)
            copies = tuple(np.array(a, copy=True) if isinstance(a, np.ndarray) else a for a in args)
            try:
                with np.errstate(all="ignore"):
                    got = call_with_timeout(answer, copies, self.timeout)
            except _Timeout:
                return WRONG, f"your function took longer than {self.timeout:g} s on {label}; look for a slow Python loop."
            except NotImplementedError:
                return NOT_ATTEMPTED, "your function still raises NotImplementedError — fill in its body."
            except Exception as exc:
                tb = traceback.extract_tb(exc.__traceback__)
                line = f" (line {tb[-1].lineno}: {tb[-1].line})" if tb and tb[-1].line else ""
                return WRONG, f"your function raised {type(exc).__name__}: {exc} on {label}{line}."
            if is_placeholder(got):
                if i == 0:
                    return NOT_ATTEMPTED, "your function returns ___ / None — fill in its body and return the result."
                return WRONG, f"your function returned {got!r} on {label}."
            reason = compare_arrays(got, want, self.rtol, self.atol, what="the result")
            if reason is not None:
                return WRONG, f"on {label} ({_fmt_args(args)}): {reason}"
        return CORRECT, f"matches the reference on all {len(cases)} test inputs."


# -- progress -----------------------------------------------------------------------------------
_NB_MODULE = re.compile(r"^lecture_utils\.exercises\.nb(\d\d)$")
_MARKS = {CORRECT: "✓", WRONG: "✗", NOT_ATTEMPTED: "not attempted"}


@dataclass
class Progress:
    """What :func:`progress` found: one row per exercise, in notebook order."""

    rows: list[dict[str, str]]
    _shown: bool = field(default=False, repr=False, compare=False)

    def _ipython_display_(self) -> None:  # shown once, even when also the cell's last value
        if not self._shown:
            self._shown = True
            _show_html(self._repr_html_(), self.text())

    @property
    def counts(self) -> dict[str, int]:
        out = {CORRECT: 0, WRONG: 0, NOT_ATTEMPTED: 0}
        for row in self.rows:
            out[row["status"]] += 1
        return out

    def text(self) -> str:
        if not self.rows:
            return "No exercises yet: import a notebook's exercises (lecture_utils.exercises.nbNN)."
        lines = [f"{r['notebook']}  {r['exercise']:<55} {_MARKS[r['status']]:<14} {r['message']}"
                 for r in self.rows]
        c = self.counts
        lines.append(f"{c[CORRECT]} of {len(self.rows)} correct, {c[WRONG]} not yet right, "
                     f"{c[NOT_ATTEMPTED]} not attempted.")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        if not self.rows:
            return f"<p>{html.escape(self.text())}</p>"
        colour = {CORRECT: "#009E73", WRONG: "#D55E00", NOT_ATTEMPTED: "#0072B2"}
        body = "".join(
            f"<tr><td>{html.escape(r['notebook'])}</td><td style='text-align:left'>{html.escape(r['exercise'])}</td>"
            f"<td style='color:{colour[r['status']]};font-weight:bold'>{html.escape(_MARKS[r['status']])}</td>"
            f"<td style='text-align:left'>{html.escape(r['message'])}</td></tr>" for r in self.rows)
        c = self.counts
        return ("<table><thead><tr><th>notebook</th><th>exercise</th><th>status</th><th>last message</th>"
                f"</tr></thead><tbody>{body}</tbody></table><p>{c[CORRECT]} of {len(self.rows)} correct.</p>")

    def __repr__(self) -> str:
        return self.text()


def _exercise_modules() -> list[tuple[str, Any]]:
    found = []
    for name, module in list(sys.modules.items()):
        match = _NB_MODULE.match(name)
        if match and module is not None:
            found.append((match.group(1), module))
    return sorted(found, key=lambda item: item[0])


def progress(*, show: bool = True) -> Progress:
    """Show (and return) a table of the exercises of every notebook whose exercises are imported
    in this kernel: ✓ / ✗ / not attempted and the last message. Never raises."""
    rows: list[dict[str, str]] = []
    try:
        for number, module in _exercise_modules():
            for ex in list(getattr(module, "EXERCISES", ())):
                result = getattr(ex, "last_result", None)
                status = result.status if result is not None else NOT_ATTEMPTED
                message = result.message if result is not None else "not checked yet in this session."
                rows.append({"notebook": number, "exercise": str(getattr(ex, "name", "?")),
                             "status": status, "message": message})
    except BaseException:  # noqa: BLE001 - progress is a convenience and must never fail
        pass
    out = Progress(rows)
    if show:
        try:
            out._ipython_display_()
        except BaseException:  # noqa: BLE001
            pass
    return out
