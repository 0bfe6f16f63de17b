"""Self-checking exercises: ``q.check(answer)``, ``q.hint()``, ``q.solution()``, ``progress()``.

An exercise reports one of three states and never raises (nor hangs):

* ✓ correct,
* ✗ wrong — with the specific reason (wrong shape, wrong value at an input, changed its input,
  still loops, raised an error …),
* "not attempted yet" — the answer is still the placeholder ``___`` (or a function that
  returns ``___``/``None`` or raises ``NotImplementedError``).

``check`` shows the verdict (HTML in a notebook, text elsewhere) and returns a
:class:`Result`, which is truthy only when the answer is correct. ``check(answer, seed=s)``
builds every random test input from ``s`` instead of the visible seed (hidden grading tests).

How an answer is run
--------------------
Everything that runs the student's code — calling a function, iterating a generator, reading
an object's ``__array__`` — happens in a worker thread with a time limit. On time-out the
worker gets an asynchronous :class:`_Timeout` (a ``BaseException``, so ``except Exception``
cannot swallow it) and ``check`` returns at once, on any thread. What Python cannot do: stop a
single C call that holds the GIL (``sum(range(10**10))``) before it returns, and free the CPU of
a C call that releases it (a huge matrix product) before it returns — ``check`` still answers
on time in the second case, and the worker is stopped as soon as the call returns.

The answer sees fresh copies of the inputs; private copies reveal a function that changed its
input in place. References are computed, and the comparison functions bound, before the
answer runs, so patching ``np.allclose`` in an answer changes nothing. Answers are converted to
plain numbers / arrays / strings inside the time limit, so no student code runs while judging.

Writing a new exercise (see also the README)::

    q1 = NumberExercise(
        name="softmax of (5, 4, 2), first entry",
        expected=0.7053845126982411, decimals=3,
        hint="Exponentiate every score, then divide by the sum of the exponentials.",
        solution="np.exp(5) / np.exp([5, 4, 2]).sum()",
    )
"""

from __future__ import annotations

import ast
import ctypes
import functools
import html
import importlib
import inspect
import itertools
import math
import os
import re
import sys
import threading
import time
import traceback
import types
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any, Callable, Iterable, Sequence

import numpy as np

__all__ = [
    "___", "Placeholder", "Result", "Exercise", "NumberExercise", "ArrayExercise",
    "FunctionExercise", "ChoiceExercise", "ValueExercise", "is_placeholder", "graded_mode",
    "progress", "Progress", "compare_arrays", "as_number", "as_numbers", "as_shape",
    "count_steps", "model_solution",
]

CORRECT, WRONG, NOT_ATTEMPTED = "correct", "wrong", "not attempted"

# -- bound before any answer runs: an answer that patches numpy cannot change the verdict ---------
_array, _asarray, _ndarray, _generic = np.array, np.asarray, np.ndarray, np.generic
_absolute, _subtract, _multiply, _add = np.absolute, np.subtract, np.multiply, np.add
_isnan, _isinf, _isfinite, _equal = np.isnan, np.isinf, np.isfinite, np.equal
_greater, _logical_and, _logical_or = np.greater, np.logical_and, np.logical_or
_unravel_index, _errstate, _float64, _float32, _float16 = (np.unravel_index, np.errstate,
                                                             np.float64, np.float32, np.float16)
_array2string, _where, _empty, _rint, _int64 = np.array2string, np.where, np.empty, np.rint, np.int64
_perf_counter, _sleep = time.perf_counter, time.sleep

#: the most items read from an iterator answer (an endless one is reported, not looped on)
MAX_ITEMS = 100_000
#: the time limit (s) for reading an answer that is not a function
READ_TIMEOUT = 2.0


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
    """Raised in an answer that ran too long (BaseException: ``except Exception`` cannot catch it).

    Creating one in a worker whose time is up re-arms that worker's trace function on the
    answer's frames, so an answer that swallows it (``except BaseException: pass``) meets
    another at its next line, outside the ``try`` that caught the first."""

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        monitor = _ACTIVE.get(threading.get_ident())
        if monitor is not None and monitor.cancelled:
            monitor.rearm()


#: the monitor of every worker thread that is running an answer, by thread id
_ACTIVE: dict[int, Any] = {}
_THIS_FILE = __file__


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


class _Shown(str):
    """A hint or solution: displayed when it is produced, and not again as the cell's value."""

    def _ipython_display_(self) -> None:
        if not getattr(self, "_was_shown", False):
            self._was_shown = True
            _show_markdown(getattr(self, "_markdown", str(self)))


def _shown_text(text: str, markdown: str) -> _Shown:
    out = _Shown(text)
    out._markdown = markdown
    out._ipython_display_()
    return out


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


# -- reading an answer into plain data (inside the time limit) -----------------------------------
class _Opaque:
    """Stands in for an object we will not call again while judging; only its description."""

    def __init__(self, description: str) -> None:
        self.description = description

    def __repr__(self) -> str:
        return self.description


def _type_name(value: Any) -> str:
    try:
        return str(type.__getattribute__(type(value), "__name__"))
    except BaseException:  # noqa: BLE001
        return "object"


def _materialise(value: Any, depth: int = 0) -> Any:
    """Plain data equal to ``value``: builtin numbers and strings, exact numpy arrays and scalars,
    lists / tuples / sets / dicts of those, or an :class:`_Opaque` description. Runs student code
    (``__iter__``, ``__array__``) and so is only ever called inside the time limit."""
    t = type(value)
    if value is None or value is ___ or value is Ellipsis or t in (bool, int, float, complex, str, bytes,
                                                                   Fraction, Decimal):
        return value
    if isinstance(value, bool):  # pragma: no cover - bool cannot be subclassed
        return bool(value)
    if isinstance(value, float):  # a subclass: the number it really holds, not what __float__ says
        return float.__float__(value)
    if isinstance(value, int):
        return int.__int__(value)
    if isinstance(value, str):
        return str.__str__(value)
    if isinstance(value, complex):
        return complex(complex.__getattribute__(value, "real"), complex.__getattribute__(value, "imag"))
    if depth > 20:
        return _Opaque("a structure nested more than 20 levels deep")
    if isinstance(value, _generic):
        return _array(value).reshape(())[()]
    if isinstance(value, _ndarray):
        arr = _array(value, copy=True, subok=False)
        if arr.dtype.kind == "O":
            items = [_materialise(v, depth + 1) for v in arr.reshape(-1).tolist()]
            out = _empty(len(items), dtype=object)
            out[:] = items
            return out.reshape(arr.shape)
        return arr
    if callable(value) and not hasattr(value, "__array__"):
        kind = "a function" if isinstance(value, (types.FunctionType, types.BuiltinFunctionType,
                                                  functools.partial, np.ufunc)) else f"a callable {t.__name__}"
        return _Opaque(kind)
    if isinstance(value, dict):
        items = list(itertools.islice(dict.items(value), MAX_ITEMS + 1))
        if len(items) > MAX_ITEMS:
            return _Opaque(f"a dict with more than {MAX_ITEMS} entries")
        return {_materialise(k, depth + 1): _materialise(v, depth + 1) for k, v in items}
    if any(hasattr(t, a) for a in ("__array__", "__array_interface__", "__array_struct__")):
        return _materialise(_asarray(value), depth + 1)
    if isinstance(value, (list, tuple, set, frozenset)) or hasattr(value, "__iter__"):
        endless = hasattr(value, "__next__") and iter(value) is value
        items = list(itertools.islice(iter(value), MAX_ITEMS + 1))
        if len(items) > MAX_ITEMS:
            what = "an iterator" if endless else f"a {t.__name__}"
            return _Opaque(f"{what} that did not stop after {MAX_ITEMS} items")
        items = [_materialise(v, depth + 1) for v in items]
        if isinstance(value, tuple):
            return tuple(items)
        if isinstance(value, (set, frozenset)):
            try:
                return set(items)
            except TypeError:
                return _Opaque("a set of unhashable things")
        return items
    return _Opaque(f"an object of type {t.__name__}")


def _describe(value: Any) -> str:
    """A short description of a materialised answer (never calls student code)."""
    if isinstance(value, _Opaque):
        return value.description
    if isinstance(value, _ndarray):
        return f"an array of shape {value.shape} (dtype {value.dtype})"
    if type(value) is bool:
        return f"the bool {value} (True/False is not a number)"
    if type(value) in (str, bytes):
        text = repr(value)
        return f"the {'string' if type(value) is str else 'bytes'} {text[:60]}{'…' if len(text) > 60 else ''}"
    if type(value) is complex:
        return f"the complex number {value!r}"
    if isinstance(value, (list, tuple)):
        return f"a {type(value).__name__} of length {len(value)}"
    if isinstance(value, (set, dict)):
        return f"a {type(value).__name__} with {len(value)} entries"
    text = repr(value) if type(value) in (int, float, Fraction, Decimal) or isinstance(value, _generic) \
        else _type_name(value)
    return f"{_type_name(value)} {text[:60]}"


def as_number(value: Any) -> tuple[float | None, str]:
    """(the number, "") for ints, floats, Fraction, Decimal, numpy real scalars and one-element
    real arrays; (None, why not) for strings, bytes, bools, complex numbers and anything else."""
    t = type(value)
    try:
        if t is bool or isinstance(value, np.bool_):
            return None, f"expected a number; got {_describe(value)}."
        if t in (int, float, Fraction, Decimal):
            return float(value), ""
        if isinstance(value, _generic) and value.dtype.kind in "iuf":
            return float(value), ""
        if isinstance(value, _ndarray) and value.size == 1 and value.dtype.kind in "iuf":
            return float(value.reshape(-1)[0]), ""
    except (OverflowError, ValueError):
        return None, f"expected an ordinary number; {_describe(value)} is too large for a float."
    if t in (str, bytes):
        return None, (f"expected a number; got {_describe(value)} — give the number itself, "
                      "without quotes.")
    if t is complex or (isinstance(value, (_generic, _ndarray)) and value.dtype.kind == "c"):
        return None, f"expected a real number; got {_describe(value)}."
    return None, f"expected a single number; got {_describe(value)}."


def as_numbers(value: Any, n: int) -> tuple[tuple[float, ...] | None, str]:
    """``n`` numbers (a tuple / list / array of length ``n``), or (None, why not)."""
    if isinstance(value, _ndarray):
        if value.shape != (n,):
            return None, f"expected {n} numbers; got {_describe(value)}."
        value = [value[i] for i in range(n)]
    if not isinstance(value, (list, tuple)) or len(value) != n:
        return None, f"expected {n} numbers; got {_describe(value)}."
    out = []
    for i, v in enumerate(value):
        number, why = as_number(v)
        if number is None:
            return None, f"entry {i}: {why}"
        out.append(number)
    return tuple(out), ""


def as_shape(value: Any) -> tuple[tuple[int, ...] | None, str]:
    """A shape — a tuple of whole numbers ≥ 0 — or (None, why not). ``(32.9, 128.7)`` and
    ``('32', '128')`` are not shapes; ``(32.0, 128)`` is read as (32, 128)."""
    if isinstance(value, _ndarray):
        if value.ndim != 1:
            return None, f"a shape is a tuple of whole numbers such as (32, 128); got {_describe(value)}."
        value = [value[i] for i in range(value.shape[0])]
    if not isinstance(value, (list, tuple)):
        return None, f"a shape is a tuple of whole numbers such as (32, 128); got {_describe(value)}."
    out = []
    for v in value:
        number, why = as_number(v)
        if number is None:
            return None, f"a shape holds whole numbers such as (32, 128); {why}"
        if not math.isfinite(number) or not float(number).is_integer() or number < 0:
            return None, f"a shape holds whole numbers ≥ 0 such as (32, 128); got {number!r}."
        out.append(int(number))
    return tuple(out), ""


# -- running student code: a worker thread with a time limit -------------------------------------
@dataclass
class _Outcome:
    kind: str  # "ok", "raised", "timeout" or "interrupted"
    value: Any = None
    exc: BaseException | None = None
    exc_type: str = ""
    exc_message: str = ""
    where: str = ""
    still_running: bool = False


class _Monitor:
    """Watches an answer from inside its worker thread (sys.settrace / sys.setprofile): counts
    what it does (Python calls and lines, calls into C), spots calls of forbidden functions, and
    raises :class:`_Timeout` at the answer's next line once the time is up."""

    def __init__(self, forbidden: dict[Any, str] | None = None, count_lines: bool = False) -> None:
        self.forbidden = forbidden or {}
        self.count_lines = count_lines
        self.steps = 0
        self.called: str | None = None
        self.cancelled = False  # set by the waiting thread when the time is up
        self.raised = False  # a _Timeout was raised in the answer (it may have swallowed it)

    def _stop(self) -> Any:
        """The time is up: raise _Timeout here (the first time), or — when the answer swallowed
        it — schedule one asynchronously in this very thread and keep tracing, so it fires at
        the next check point (often outside the ``try`` that swallows it) and, failing that,
        again at the next line."""
        if not self.raised:
            self.raised = True
            raise _Timeout()
        ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(threading.get_ident()),
                                                   ctypes.py_object(_Timeout))
        return self._line

    def trace(self, frame: Any, event: str, arg: Any) -> Any:
        if frame.f_code.co_filename == _THIS_FILE:  # never stop (or count) the checker itself
            return None
        if self.cancelled:
            return self._stop()
        self.steps += 1
        if self.called is None and frame.f_code in self.forbidden:
            self.called = self.forbidden[frame.f_code]
        return self._line

    def _line(self, frame: Any, event: str, arg: Any) -> Any:
        if self.cancelled:
            return self._stop()
        if event == "line" and self.count_lines:
            self.steps += 1
        return self._line

    def profile(self, frame: Any, event: str, arg: Any) -> None:
        if event == "c_call":
            self.steps += 1
        elif self.cancelled and self.raised and sys.gettrace() is None:
            self.rearm()  # the answer swallowed our _Timeout (which turned tracing off)

    def rearm(self) -> None:
        """Trace the answer's running frames again (after it swallowed a _Timeout)."""
        try:
            sys.settrace(self.trace)
            frame = sys._getframe(1)
            while frame is not None:
                name = frame.f_code.co_filename
                if name != _THIS_FILE and not name.endswith("threading.py"):
                    frame.f_trace = self._line
                frame = frame.f_back
        except BaseException:  # noqa: BLE001
            pass


def _student_frame(tb: Any) -> str:
    """' (line 3: return z / z.sum())' for the deepest frame outside numpy and lecture_utils."""
    try:
        frames = traceback.extract_tb(tb)
    except BaseException:  # noqa: BLE001
        return ""
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    lib = os.path.dirname(os.path.abspath(np.__file__))
    mine = [f for f in frames if not os.path.abspath(f.filename).startswith((here, lib))
            and "threading.py" not in f.filename]
    if not mine:
        return ""
    last = mine[-1]
    return f" (line {last.lineno}: {last.line.strip()})" if last.line else f" (line {last.lineno})"


def _outcome_from_exception(exc: BaseException) -> _Outcome:
    name = _type_name(exc)
    try:
        message = str(exc)
    except BaseException as inner:  # noqa: BLE001 - an exception whose __str__ raises
        message = f"<its message could not be shown: its __str__ raised {_type_name(inner)}>"
    if not isinstance(message, str):  # pragma: no cover - str() always returns str
        message = "<no message>"
    if len(message) > 300:
        message = message[:300] + "…"
    return _Outcome("raised", exc=exc, exc_type=name, exc_message=message,
                    where=_student_frame(exc.__traceback__))


def _noop() -> None:
    return None


def _still_running(outcome: "_Outcome") -> str:
    """The sentence a time-out message ends with when the answer's thread could not be stopped yet."""
    return (" It is still running in the background and stops when its current numpy operation returns."
            if outcome.still_running else "")


class _Runner(threading.Thread):
    """Runs one job in a daemon thread. Stopping it is cooperative first (the monitor raises
    _Timeout at the answer's next line); only an answer that swallows that gets an asynchronous
    _Timeout (PyThreadState_SetAsyncExc), and the thread consumes any such exception before it
    ends — a thread that died with one pending would leave CPython's interpreter-wide
    async-exception flag set, which makes traced threads spin (CPython 3.11)."""

    def __init__(self, job: Callable[[], _Outcome], monitor: _Monitor) -> None:
        super().__init__(daemon=True, name="lecture-utils-answer")
        self._job, self.monitor = job, monitor
        self._lock = threading.Lock()
        self.finished = False
        self.done = threading.Event()
        self.outcome: _Outcome | None = None
        self._invoke_excepthook = lambda *args: None  # a late timeout never prints a traceback

    def run(self) -> None:
        try:
            _ACTIVE[threading.get_ident()] = self.monitor
            self.outcome = self._job()
        except BaseException:  # noqa: BLE001 - a timeout that landed in our own bookkeeping
            pass
        while True:
            try:
                sys.settrace(None)
                _ACTIVE.pop(threading.get_ident(), None)
                with self._lock:
                    self.finished = True
                for _ in range(3):  # function calls are check points: a pending one fires here
                    _noop()
                break
            except BaseException:  # noqa: BLE001
                continue
        self.done.set()

    def force(self) -> bool:
        """Raise _Timeout in the worker asynchronously; False if it has already finished."""
        with self._lock:
            if self.finished or self.ident is None:
                return False
            ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(self.ident),
                                                       ctypes.py_object(_Timeout))
            return True


def _at_jump(frame: Any) -> bool:
    """True if ``frame`` sits at a jump (a loop edge: bytecode is running, not one C call)."""
    try:
        import dis

        return dis.opname[frame.f_code.co_code[frame.f_lasti]].startswith("JUMP")
    except BaseException:  # noqa: BLE001
        return False


def _stop(runner: _Runner, patience: float = 600.0) -> None:
    """Stop a worker that ran over: the monitor raises at its next line; if it swallows that
    (``except BaseException`` in a loop), keep raising asynchronously until it ends."""
    runner.monitor.cancelled = True

    def reaper() -> None:
        end, last = _perf_counter() + patience, None
        while _perf_counter() < end and not runner.done.wait(0.25):
            frame = sys._current_frames().get(runner.ident or -1)
            where = (id(frame), frame.f_lasti) if frame is not None else None
            moving = (last is not None and where != last) or _at_jump(frame)
            last = where
            if runner.monitor.raised or moving:
                # it caught our _Timeout and kept going, or it loops in bytecode that makes no
                # line events (`while True: pass` on one line): it runs Python, so the
                # asynchronous one is consumed at once. A thread stuck in one C call (same
                # instruction at every look) is left to the trace, which stops it when the
                # call returns: an asynchronous exception pending meanwhile would make other
                # traced threads spin (CPython 3.11).
                runner.force()
    threading.Thread(target=reaper, daemon=True, name="lecture-utils-reaper").start()


def _run_limited(func: Callable[..., Any], args: tuple = (), timeout: float = 2.0, *,
                 monitor: _Monitor | None = None, materialise: bool = True) -> _Outcome:
    """Run ``func(*args)`` (and read its result into plain data) in a worker thread with a
    time limit. Never raises."""
    monitor = monitor or _Monitor()

    def job() -> _Outcome:
        try:
            with _errstate(all="ignore"):
                sys.setprofile(monitor.profile)
                sys.settrace(monitor.trace)
                start = _perf_counter()
                try:
                    value = func(*args)
                    if materialise:
                        value = _materialise(value)
                finally:
                    sys.settrace(None)
                    sys.setprofile(None)
            if _perf_counter() - start > timeout:  # one C call that held the GIL: it could not be stopped
                return _Outcome("timeout")
            return _Outcome("ok", value)
        except _Timeout:
            return _Outcome("timeout")
        except BaseException as exc:  # noqa: BLE001 - SystemExit, KeyboardInterrupt too: reported
            return _outcome_from_exception(exc)

    runner = _Runner(job, monitor)
    try:
        runner.start()
        finished = runner.done.wait(timeout)
    except BaseException:  # noqa: BLE001 - Ctrl-C (the stop button) while we wait
        _stop(runner)
        return _Outcome("interrupted")
    if finished and runner.outcome is not None:
        return runner.outcome
    _stop(runner)
    runner.done.wait(0.2)
    return _Outcome("timeout", still_running=not runner.done.is_set())


def _read_answer(answer: Any, timeout: float = READ_TIMEOUT) -> Any:
    """The answer as plain data, read within the time limit; an _Opaque if that fails."""
    t = type(answer)
    if answer is None or answer is ___ or answer is Ellipsis or t in (bool, int, float, str, bytes):
        return answer
    outcome = _run_limited(lambda: answer, (), timeout)
    if outcome.kind == "ok":
        return outcome.value
    if outcome.kind == "raised":
        return _Opaque(f"an object that raised {outcome.exc_type} when it was read "
                       f"({outcome.exc_message})")
    return _Opaque(f"an object that took longer than {timeout:g} s to read (an endless iterator?)")


def _imported_names(code: types.CodeType) -> set[str]:
    names: set[str] = set()
    try:
        import dis

        for ins in dis.get_instructions(code):
            if ins.opname == "IMPORT_NAME" and isinstance(ins.argval, str):
                names.add(ins.argval)
        for const in code.co_consts:
            if isinstance(const, types.CodeType):
                names |= _imported_names(const)
    except BaseException:  # noqa: BLE001
        pass
    return names


def _unwrap(func: Any) -> Any:
    """The function inside partials, bound methods and decorators (reads no student attributes
    other than those of plain functions)."""
    for _ in range(20):
        if isinstance(func, functools.partial):
            func = func.func
        elif isinstance(func, types.MethodType):
            func = func.__func__
        elif isinstance(func, types.FunctionType) and callable(func.__dict__.get("__wrapped__")):
            func = func.__dict__["__wrapped__"]
        else:
            break
    return func


def _preimport(func: Any) -> None:
    """Import the modules an answer imports inside its body, so their (first, slow) import is
    not counted against the answer's time limit."""
    code = getattr(_unwrap(func), "__code__", None)
    if not isinstance(code, types.CodeType):
        return
    for name in _imported_names(code):
        try:
            if name and name not in sys.modules:
                importlib.import_module(name)
        except BaseException:  # noqa: BLE001 - the answer will report its own ImportError
            pass


def call_with_timeout(func: Callable[..., Any], args: tuple, timeout: float) -> Any:
    """Call ``func(*args)`` with a time limit; raise ``_Timeout`` when it runs over, or the
    exception it raised. (Kept for exercises written against the first version of this module.)"""
    outcome = _run_limited(func, tuple(args), timeout, materialise=False)
    if outcome.kind == "ok":
        return outcome.value
    if outcome.kind == "raised" and outcome.exc is not None:
        raise outcome.exc
    raise _Timeout()


def count_steps(func: Callable[..., Any], args: tuple, timeout: float = 5.0) -> tuple[int | None, _Outcome]:
    """How many Python lines, Python calls and calls into C ``func(*args)`` makes (None if it
    did not finish). A loop over the examples makes this grow with the batch size."""
    monitor = _Monitor(count_lines=True)
    outcome = _run_limited(func, args, timeout, monitor=monitor)
    return (monitor.steps if outcome.kind == "ok" else None), outcome


# -- comparing arrays ------------------------------------------------------------------------------
def _fmt_pair(got: float, want: float) -> tuple[str, str]:
    """Both numbers with enough digits to tell them apart."""
    for digits in range(6, 18):
        a, b = f"{got:.{digits}g}", f"{want:.{digits}g}"
        if a != b:
            return a, b
    return repr(float(got)), repr(float(want))


def _numeric_array(got: Any, what: str) -> tuple[np.ndarray | None, str]:
    if isinstance(got, _Opaque) or type(got) in (str, bytes, dict, set):
        return None, f"{what} should be an array of numbers; got {_describe(got)}."
    try:
        arr = _array(got)
    except (TypeError, ValueError):
        return None, f"{what} should be a rectangular array of numbers; got {_describe(got)}."
    if arr.dtype.kind == "O":
        try:
            arr = _array(got, dtype=_float64)
        except (TypeError, ValueError):
            return None, f"{what} should be an array of numbers; got {_describe(got)} holding other things."
    if arr.dtype.kind in "USV":
        return None, f"{what} should hold numbers, not strings; got {_describe(arr)}."
    if arr.dtype.kind == "c":
        return None, f"{what} should be real; got complex values ({_describe(arr)})."
    if arr.dtype.kind == "b":
        return None, f"{what} should hold numbers; got True/False values ({_describe(arr)})."
    if arr.dtype.kind not in "iuf":
        return None, f"{what} should be an array of numbers; got {_describe(arr)}."
    return arr, ""


#: the precision a float32 result is held to (where an exercise accepts float32)
FLOAT32_RTOL, FLOAT32_ATOL = 1e-4, 1e-5


def compare_arrays(got: Any, want: Any, rtol: float, atol: float, what: str = "your answer",
                   *, float32_ok: bool = True) -> str | None:
    """None if ``got`` matches ``want`` in shape and values (|got − want| ≤ atol + rtol·|want|
    entry by entry), else the reason it does not, with enough digits, the difference and the
    tolerance. A float32 ``got`` is held to float32 precision when ``float32_ok``."""
    arr, why = _numeric_array(got, what)
    if arr is None:
        return why
    want = _array(want, dtype=_float64)
    if arr.shape != want.shape:
        extra = ""
        if arr.ndim == 2 and arr.shape == want.shape[::-1]:
            extra = " (it looks transposed)"
        elif arr.size == want.size and arr.size > 1:
            extra = " (the right number of entries in the wrong arrangement — check keepdims / reshape)"
        elif arr.ndim == want.ndim + 1 and 1 in arr.shape:
            extra = " (an extra axis of length 1 — did a keepdims=True result leak out?)"
        return f"{what} has shape {arr.shape}; expected {want.shape}{extra}."
    low_precision = arr.dtype in (_float16,)
    if arr.dtype == _float32 and float32_ok:
        rtol, atol = max(rtol, FLOAT32_RTOL), max(atol, FLOAT32_ATOL)
    arr64 = arr.astype(_float64)
    with _errstate(all="ignore"):
        nan_got, nan_want = _isnan(arr64), _isnan(want)
        if (nan_got & ~nan_want).any():
            idx = _first(nan_got & ~nan_want)
            return (f"{what} contains NaN (first at index {idx}) where the expected result has none — "
                    "usually inf − inf, 0·(−inf) or 0/0 after an overflow or underflow in an "
                    "intermediate step.")
        inf_got = _isinf(arr64) & ~_isinf(want)
        if inf_got.any():
            idx = _first(inf_got)
            return (f"{what} contains {arr64[idx]:+} (first at index {idx}) where the expected result "
                    "is finite — an exponential that overflowed (subtract the max first) or the log "
                    "of a value that rounded to 0 (work in log space, e.g. with log-softmax).")
        same_special = _logical_or(nan_got & nan_want, _isinf(arr64) & _equal(arr64, want))
        err = _absolute(_subtract(arr64, want))
        finite_want = _isfinite(want)
        allowed = atol + rtol * _absolute(want)
        bad = _greater(err, allowed) & ~same_special
        bad |= ~finite_want & ~same_special
    if not bad.any():
        return None
    excess = _where(bad, _where(_isfinite(err), err - allowed, np.inf), -np.inf)
    idx = _unravel_index(int(excess.argmax()), arr.shape) if arr.ndim else ()
    idx = tuple(int(i) for i in idx)
    g, w = float(arr64[idx]), float(want[idx])
    gs, ws = _fmt_pair(g, w)
    where = f" at index {idx}" if arr.ndim else ""
    count = int(bad.sum())
    many = f" ({count} of {arr.size} entries are off)" if arr.size > 1 else ""
    text = (f"{what} differs from the expected values{many}; the largest difference is{where}: got "
            f"{gs}, expected {ws} (off by {abs(g - w):.2g}; allowed: {atol + rtol * abs(w):.2g} = "
            f"{rtol:g}·|expected| + {atol:g}).")
    if low_precision or (arr.dtype == _float32 and not float32_ok):
        text += (f" Your result is {arr.dtype}, which keeps only about "
                 f"{int(np.finfo(arr.dtype).precision)} significant digits; compute in float64.")
    return text


def _first(mask: np.ndarray) -> tuple[int, ...]:
    """The index of the first True of ``mask``."""
    if not mask.ndim:
        return ()
    return tuple(int(i) for i in _unravel_index(int(mask.reshape(-1).argmax()), mask.shape))


def _fmt_args(args: tuple) -> str:
    parts = []
    for a in args:
        if isinstance(a, _ndarray):
            parts.append(f"array of shape {a.shape}" + (f", {a.dtype}" if a.dtype != _float64 else "")
                         if a.size > 6 else _array2string(a, precision=4, separator=", "))
        else:
            parts.append(repr(a)[:60])
    return ", ".join(parts)


# -- the exercises -------------------------------------------------------------------------------
def _hint_number(n: Any) -> int | None:
    if n is None:
        return 1
    if type(n) is bool:
        return None
    if isinstance(n, (int, np.integer)):
        return int(n)
    if isinstance(n, (float, np.floating)) and math.isfinite(n) and float(n).is_integer():
        return int(n)
    if isinstance(n, str) and n.strip().isdigit():
        return int(n.strip())
    return None


def _is_code(text: str) -> bool:
    try:
        ast.parse(text)
    except (SyntaxError, ValueError):
        return False
    return True


class Exercise:
    """Base class: subclasses implement :meth:`_check`, returning (status, message).

    Parameters
    ----------
    name : str
        Short title shown with the verdict (and by :func:`progress`).
    hint : str or list of str
        Markdown; a list gives progressively stronger hints (``hint(2)`` …).
    solution : str
        Python code (shown as code) or Markdown prose (shown as prose), by :meth:`solution` —
        and only then, and never in graded mode.
    """

    def __init__(self, name: str, hint: str | Sequence[str], solution: str) -> None:
        self.name = name
        self._hints = [hint] if isinstance(hint, str) else list(hint)
        if not self._hints or not all(isinstance(h, str) for h in self._hints):
            raise TypeError("hint must be a string or a non-empty list of strings")
        self._solution = solution
        self._local = threading.local()
        self.last_result: Result | None = None
        #: the answer last given to :meth:`check`, as it was read (a function stays itself; other
        #: answers become plain data, so an iterator that was consumed can be checked again);
        #: meaningful once ``last_result`` is set. The graded homework's hidden test checks it,
        #: whatever name the student gave it.
        self.last_answer: Any = None

    @property
    def _seed_override(self) -> int | None:
        return getattr(self._local, "seed", None)

    # -- public API --------------------------------------------------------------------------
    def check(self, answer: Any = ___, *, show: bool = True, seed: int | None = None) -> Result:
        """Check ``answer``; show and return the verdict. Never raises, never hangs.

        ``seed`` replaces the visible seed of every random test input (hand-picked cases stay),
        so a hidden grading test can try the answer on inputs the student has never seen;
        exercises without random inputs ignore it.
        """
        checked = answer  # what last_answer keeps: the answer as read (an iterator only once)
        try:
            if seed is not None and (type(seed) is bool or not isinstance(seed, (int, np.integer))
                                     or seed < 0):
                status, message = WRONG, f"could not check: seed must be a whole number ≥ 0; got {seed!r}."
            else:
                self._local.seed = None if seed is None else int(seed)
                if is_placeholder(answer):
                    status, message = NOT_ATTEMPTED, "replace ___ with your answer, then run this cell again."
                else:
                    checked = self._prepare(answer)
                    status, message = self._check(checked)
        except BaseException as exc:  # noqa: BLE001 - a checker must never take the notebook down
            info = _outcome_from_exception(exc)
            status, message = WRONG, f"could not check this answer ({info.exc_type}: {info.exc_message})."
        finally:
            self._local.seed = None
        result = Result(status, message, self.name)
        self.last_result, self.last_answer = result, checked
        if show:
            try:
                result._ipython_display_()
            except BaseException:  # noqa: BLE001
                pass
        return result

    def hint(self, n: Any = 1) -> str:
        """Show hint number ``n`` (1 = gentlest) and return its text. Never raises."""
        try:
            k = len(self._hints)
            number, note = _hint_number(n), ""
            count = "one hint" if k == 1 else f"{k} hints"
            if number is None:
                number, note = 1, f"*(hints are numbered 1 … {k}; got {n!r}, so here is hint 1)*\n\n"
            elif number < 1:
                number, note = 1, f"*(hints are numbered from 1; this exercise has {count})*\n\n"
            elif number > k:
                note = f"*(this exercise has {count}; here is hint {k})*\n\n"
                number = k
            text = self._hints[number - 1]
            more = (f"\n\n*(hint {number} of {k} — `hint({number + 1})` for more)*" if number < k else "")
            head = "**Hint:**" if k == 1 else f"**Hint {number} of {k}:**"
            return _shown_text(text, f"{note}{head} {text}{more}")
        except BaseException:  # noqa: BLE001
            return _Shown("")

    def solution(self) -> str:
        """Show the model solution and return it (in graded mode: a note that it is withheld)."""
        try:
            if graded_mode():
                return _shown_text(WITHHELD, f"**Solution — {self.name}:** {WITHHELD}")
            sol = self._solution.strip("\n")
            body = f"```python\n{sol}\n```" if _is_code(sol) else sol
            return _shown_text(self._solution, f"**Solution — {self.name}**\n\n{body}")
        except BaseException:  # noqa: BLE001
            return _Shown("")

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name!r}: call .check(answer), .hint() or .solution()>"

    # -- for subclasses ----------------------------------------------------------------------
    def _prepare(self, answer: Any) -> Any:
        """The answer as plain data (read within the time limit); functions override this."""
        return _read_answer(answer)

    def _check(self, answer: Any) -> tuple[str, str]:  # pragma: no cover - abstract
        raise NotImplementedError


def model_solution(exercise: Exercise) -> str:
    """The model solution of ``exercise`` as its author wrote it (Python code or Markdown), for
    tools that build course material from the exercises — ``tools/make_assignment.py`` puts it in
    the lecturer's nbgrader source. Unlike :meth:`Exercise.solution` it displays nothing and does
    not look at graded mode (the lecturer may build an assignment on a hub where graded mode is
    on). Students call ``q.solution()``; this function is not exported by
    ``lecture_utils.exercises``. Returns "" for an object that is not an exercise."""
    text = getattr(exercise, "_solution", None) if isinstance(exercise, Exercise) else None
    return text if isinstance(text, str) else ""


def _decimals_tolerance(decimals: int | None) -> float | None:
    return None if decimals is None else 0.5 * 10.0 ** (-decimals) * (1 + 1e-9)


class NumberExercise(Exercise):
    """The answer is one number.

    ``decimals`` (the task says "to 2 decimals") accepts |answer − expected| ≤ 0.005;
    otherwise ``rtol`` / ``atol``. An integer ``expected`` with ``rtol=0`` (a count) is
    compared exactly, and the answer must be a whole number.
    """

    def __init__(self, name: str, expected: float, hint: str | Sequence[str], solution: str,
                 rtol: float = 1e-6, atol: float = 1e-9,
                 wrong_answers: dict[float, str] | None = None, decimals: int | None = None,
                 integer: bool | None = None) -> None:
        super().__init__(name, hint, solution)
        self.expected = float(expected)
        self.integer = (rtol == 0 and float(expected).is_integer()) if integer is None else integer
        self.decimals = decimals
        tol = _decimals_tolerance(decimals)
        self.rtol, self.atol = (0.0, tol) if tol is not None else (rtol, atol)
        if self.integer:
            self.rtol, self.atol = 0.0, 0.0
        self.wrong_answers = wrong_answers or {}

    def _close(self, value: float, target: float) -> bool:
        if self.integer:
            return value == target
        return abs(value - target) <= self.atol + self.rtol * abs(target)

    def _precision(self) -> str:
        if self.integer:
            return "a count, compared exactly"
        if self.decimals is not None:
            return f"to {self.decimals} decimal{'s' if self.decimals != 1 else ''}"
        if self.atol and not self.rtol:
            return f"within ±{self.atol:g}"
        return f"within {self.rtol:g} relative" + (f" (or ±{self.atol:g})" if self.atol >= 1e-6 else "")

    def _check(self, answer: Any) -> tuple[str, str]:
        value, why = as_number(answer)
        if value is None:
            return WRONG, why
        shown = f"{value:.10g}"
        if math.isnan(value):
            return WRONG, "your answer is NaN — look for a 0/0 or an overflow (inf − inf) in your computation."
        if math.isinf(value):
            return WRONG, f"your answer is {value}: an overflow, or the log of 0, somewhere in your computation."
        if self.integer and not value.is_integer():
            for wrong, reason in self.wrong_answers.items():
                if value == wrong:
                    return WRONG, f"{shown} — {reason}"
            return WRONG, f"{shown} is not a whole number; this answer is a count."
        if self.integer:
            shown = f"{int(value)}"
        if self._close(value, self.expected):
            return CORRECT, shown + ("" if self.integer else f" ({self._precision()}).")
        for wrong, reason in self.wrong_answers.items():
            if self._close(value, float(wrong)):
                return WRONG, f"{shown} — {reason}"
        if self.expected != 0 and self._close(-value, self.expected):
            return WRONG, f"{shown} has the right size but the wrong sign."
        if self.integer:
            return WRONG, f"{shown} is not the right count; check each step."
        return WRONG, f"{shown} is not the expected value {self._precision()}; check each step."


class ArrayExercise(Exercise):
    """The answer is an array (or nested list) compared in shape and values (``decimals`` as
    for :class:`NumberExercise`)."""

    def __init__(self, name: str, expected: Any, hint: str | Sequence[str], solution: str,
                 rtol: float = 1e-6, atol: float = 1e-9, decimals: int | None = None) -> None:
        super().__init__(name, hint, solution)
        self.expected = _array(expected, dtype=_float64)
        tol = _decimals_tolerance(decimals)
        self.decimals = decimals
        self.rtol, self.atol = (0.0, tol) if tol is not None else (rtol, atol)

    def _check(self, answer: Any) -> tuple[str, str]:
        reason = compare_arrays(answer, self.expected, self.rtol, self.atol)
        return (CORRECT, "every entry matches.") if reason is None else (WRONG, reason)


class ValueExercise(Exercise):
    """The answer is compared by equality after ``normalise`` (shapes as tuples, words …).
    ``normalise`` receives plain data (see :func:`_materialise`) and may raise to reject it
    (its message, if it raises ValueError / TypeError with one, is shown)."""

    def __init__(self, name: str, expected: Any, hint: str | Sequence[str], solution: str,
                 normalise: Callable[[Any], Any] = lambda v: v,
                 explain: Callable[[Any], str] | None = None) -> None:
        super().__init__(name, hint, solution)
        self.expected, self.normalise, self.explain = expected, normalise, explain

    def _check(self, answer: Any) -> tuple[str, str]:
        try:
            value = self.normalise(answer)
        except (TypeError, ValueError) as exc:
            text = str(exc) if len(str(exc)) > 20 else ""
            return WRONG, text or f"could not read {_describe(answer)} as an answer of the expected kind."
        except Exception:  # noqa: BLE001
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
        example = "{'A', 'C'}"
        if isinstance(answer, str):
            picked = {a.strip().upper() for a in re.split(r"[\s,;]+", answer) if a.strip()}
        elif isinstance(answer, (set, list, tuple)):
            if not all(isinstance(a, str) for a in answer):
                return WRONG, f"give the letters of your choices as strings, e.g. {example}; got {_describe(answer)}."
            picked = {a.strip().upper() for a in answer if a.strip()}
        elif isinstance(answer, dict) and not answer:
            picked = set()
        else:
            return WRONG, f"give the letters of your choices, e.g. {example}; got {_describe(answer)}."
        if not picked:
            extra = " ({} is an empty dict, not a set)" if isinstance(answer, dict) else ""
            return WRONG, f"choose at least one option, e.g. {example}{extra}."
        unknown = picked - set(self.options)
        if unknown:
            return WRONG, f"unknown option(s) {sorted(unknown)}; choose from {', '.join(sorted(self.options))}."
        if picked == self.correct:
            return CORRECT, ", ".join(sorted(picked))
        missing, extra = self.correct - picked, picked - self.correct
        parts = []
        for opt in sorted(extra):
            parts.append(f"{opt} should not be chosen" + (f" — {self.why[opt]}" if opt in self.why else ""))
        if missing and graded_mode():  # graded: do not name the right options one by one
            parts.append(f"{len(missing)} right option{'s are' if len(missing) > 1 else ' is'} missing")
        else:
            for opt in sorted(missing):
                parts.append(f"{opt} is missing" + (f" — {self.why[opt]}" if opt in self.why else ""))
        # a reason may end with its own full stop: one "." at the end, none before a ";"
        return WRONG, "; ".join(p[:-1] if p.endswith(".") else p for p in parts) + "."


def _library_name(func: Any) -> str | None:
    """'relu' if ``func`` is (a wrapper of) a public function of lecture_utils."""
    inner = _unwrap(func)
    module = getattr(inner, "__module__", None) or ""
    name = getattr(inner, "__name__", "") or ""
    if isinstance(module, str) and module.startswith("lecture_utils") and not name.startswith("_") \
            and name != "<lambda>":
        return name
    return None


def _copy_args(args: tuple) -> tuple:
    import copy

    return tuple(_array(a, copy=True) if isinstance(a, _ndarray) else copy.deepcopy(a) for a in args)


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, _ndarray):
        if not isinstance(b, _ndarray) or a.shape != b.shape or a.dtype != b.dtype:
            return False
        with _errstate(all="ignore"):
            return bool((_equal(a, b) | (_isnan(a) & _isnan(b)) if a.dtype.kind in "fc" else _equal(a, b)).all())
    try:
        return bool(a == b)
    except Exception:  # noqa: BLE001
        return False


def _param_names(func: Callable[..., Any]) -> list[str]:
    try:
        return [p.name for p in inspect.signature(func).parameters.values()
                if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    except (TypeError, ValueError):
        return []


def _dtype_variants(cases: list[tuple[tuple, str]]) -> list[tuple[tuple, str]]:
    """A float32 and an integer copy of the richest moderate case (|values| ≤ 50)."""
    best, best_size = None, 0
    for args, label in cases:
        floats = [a for a in args if isinstance(a, _ndarray) and a.dtype == _float64 and a.size]
        size = sum(a.size for a in floats)
        if floats and size > best_size and all(float(_absolute(a).max()) <= 50 for a in floats):
            best, best_size = (args, label), size
    if best is None:
        return []
    args, label = best
    f32 = tuple(a.astype(_float32) if isinstance(a, _ndarray) and a.dtype == _float64 else a for a in args)
    ints = tuple(_rint(a).astype(_int64) if isinstance(a, _ndarray) and a.dtype == _float64 else a
                 for a in args)
    return [(f32, f"{label}, as float32"), (ints, f"{label}, rounded to integers (int64)")]


class FunctionExercise(Exercise):
    """The answer is a function, run on several seeded inputs and compared with a reference.

    Parameters
    ----------
    reference : callable
        The model answer (kept private).
    cases : callable(rng) -> list of (args tuple, label)
        Builds the test inputs from a seeded generator: include the notebook's example, edge
        cases (large values, rows of different scales, other shapes) and random draws, so a
        constant or a shortcut cannot pass. A float32 and an integer copy of one case are added
        (``dtype_variants=False`` turns that off).
    seed : int
        Seed for ``cases`` (``check(..., seed=s)`` overrides it).
    timeout : float
        Seconds allowed per call.
    call : str, optional
        How the answer is called, e.g. ``"my_softmax(z)"`` (default: from the reference).
    forbidden : callables, optional
        Library functions the answer must not call (it should write them itself).
    outputs : tuple of str, optional
        The answer returns a tuple of arrays with these names (e.g. ``("dA_prev", "dW", "db")``).
    """

    def __init__(self, name: str, reference: Callable[..., Any],
                 cases: Callable[[np.random.Generator], list[tuple[tuple, str]]],
                 hint: str | Sequence[str], solution: str, rtol: float = 1e-6, atol: float = 1e-9,
                 seed: int = 0, timeout: float = 2.0, call: str | None = None,
                 forbidden: Sequence[Callable[..., Any]] = (), outputs: tuple[str, ...] | None = None,
                 dtype_variants: bool = True, float32_ok: bool = True) -> None:
        super().__init__(name, hint, solution)
        self._reference, self.cases, self._seed = reference, cases, seed
        self.rtol, self.atol, self.timeout = rtol, atol, timeout
        self._params = _param_names(reference)
        self.call = call
        self._forbidden = {}
        for f in forbidden:
            code = getattr(_unwrap(f), "__code__", None)
            if code is not None:
                self._forbidden[code] = getattr(f, "__name__", "?")
        self.outputs = outputs
        self.dtype_variants, self.float32_ok = dtype_variants, float32_ok
        self._cache: dict[int, list[tuple[tuple, str, Any]]] = {}

    @property
    def seed(self) -> int:
        """The seed of the random test inputs: the visible one, or the one given to ``check``."""
        override = self._seed_override
        return self._seed if override is None else override

    # -- the test inputs and their expected results, computed before any answer runs ------------
    def _cases(self) -> list[tuple[tuple, str, Any]]:
        seed = self.seed
        if seed not in self._cache:
            cases = list(self.cases(np.random.default_rng(seed)))
            if self.dtype_variants:
                cases += _dtype_variants(cases)
            built = []
            for args, label in cases:
                exact = tuple(a.astype(_float64) if isinstance(a, _ndarray) and a.dtype == _float32 else a
                              for a in _copy_args(args))
                with _errstate(all="ignore"):
                    want = self._reference(*exact)
                if self.outputs is None:
                    want = _array(want, dtype=_float64)
                else:
                    want = tuple(_array(w, dtype=_float64) for w in want)
                built.append((_copy_args(args), label, want))
            if len(self._cache) > 8:
                self._cache.clear()
            self._cache[seed] = built
        return self._cache[seed]

    def _prepare(self, answer: Any) -> Any:
        return answer if callable(answer) else _read_answer(answer)

    def _arg_name(self, i: int) -> str:
        return self._params[i] if i < len(self._params) else f"argument {i + 1}"

    def _signature_problem(self, answer: Any, nargs: int) -> str | None:
        try:
            sig = inspect.signature(answer)
        except (TypeError, ValueError):
            return None
        try:
            sig.bind(*range(nargs))
        except TypeError:
            name = getattr(_unwrap(answer), "__name__", "f")
            name = "f" if not isinstance(name, str) or name == "<lambda>" else name
            call = self.call or f"{name}({', '.join(self._params)})"
            return (f"your function is {name}{sig}, but this exercise calls it as {call} "
                    f"({nargs} argument{'s' if nargs != 1 else ''}): give it exactly these parameters.")
        return None

    def _check(self, answer: Any) -> tuple[str, str]:
        if not callable(answer):
            return WRONG, (f"expected a function — its name without brackets, e.g. q.check(my_function); "
                           f"got {_describe(answer)}.")
        library = _library_name(answer)
        if library is not None:
            return WRONG, f"that is lecture_utils' `{library}` — write your own function and check that."
        cases = self._cases()
        problem = self._signature_problem(answer, len(cases[0][0])) if cases else None
        if problem:
            return WRONG, problem
        _preimport(answer)
        for i, (private, label, want) in enumerate(cases):
            fresh = _copy_args(private)
            monitor = _Monitor(self._forbidden)
            outcome = _run_limited(answer, fresh, self.timeout, monitor=monitor)
            verdict = self._judge_outcome(outcome, i, label, private)
            if verdict is not None:
                if verdict[0] == WRONG and outcome.kind == "raised":
                    return WRONG, verdict[1] + self._order_note(answer)
                return verdict
            if monitor.called is not None:
                return WRONG, (f"your function calls lecture_utils' `{monitor.called}` — the exercise is to "
                               "write that computation yourself.")
            for j, (before, after) in enumerate(zip(private, fresh)):
                if not _same(before, after):
                    name = self._arg_name(j)
                    return WRONG, (f"your function changed its input `{name}` in place on {label} — e.g. "
                                   f"`{name} -= …` or `{name}[…] = …` writes into the caller's array. Work "
                                   f"on a new array (`{name} = {name} - …`, or `{name} = {name}.copy()` "
                                   f"first); note that `{name} = np.asarray({name}, dtype=float)` does not "
                                   "copy an array that already is float.")
            got = outcome.value
            reason = self._compare(got, want, private)
            if reason is None:
                continue
            if reason == "placeholder":
                if i == 0:
                    return NOT_ATTEMPTED, ("your function returns ___ / None — fill in its body and "
                                           "return the result.")
                return WRONG, f"your function returned {_describe(got)} on {label}."
            return WRONG, f"on {label} ({_fmt_args(private)}): {reason}" + self._order_note(answer)
        return self._after_correct(answer, len(cases))

    def _order_note(self, answer: Any) -> str:
        """A note when the answer's parameters have the exercise's names in another order (07's
        my_softmax_ce_grad(Z, y) given notebook 06's ce_gradient(y, logits)); else ""."""
        try:
            names = _param_names(answer)
        except BaseException:  # noqa: BLE001
            return ""
        for i, name in enumerate(names[:len(self._params)]):
            if name in self._params and self._params.index(name) != i:
                call = self.call or f"f({', '.join(self._params)})"
                return (f" Check the order of the parameters: your function takes `{name}` as argument {i + 1}, "
                        f"but this exercise passes it as argument {self._params.index(name) + 1} — it "
                        f"calls {call}.")
        return ""

    def _judge_outcome(self, outcome: _Outcome, i: int, label: str, args: tuple) -> tuple[str, str] | None:
        if outcome.kind == "ok":
            return None
        if outcome.kind == "timeout":
            return WRONG, (f"your function took longer than {self.timeout:g} s on {label} — does a loop "
                           f"never end, or run over far more items than the input has?{_still_running(outcome)}")
        if outcome.kind == "interrupted":
            return WRONG, f"the check was interrupted (the stop button / Ctrl-C) on {label}; run it again."
        if isinstance(outcome.exc, NotImplementedError):
            return NOT_ATTEMPTED, "your function still raises NotImplementedError — fill in its body."
        if isinstance(outcome.exc, SystemExit):
            return WRONG, (f"your function called sys.exit() / exit() (SystemExit) on {label}{outcome.where}; "
                           "a function should return its result instead.")
        if isinstance(outcome.exc, KeyboardInterrupt):
            return WRONG, f"your function raised KeyboardInterrupt on {label}{outcome.where}."
        if isinstance(outcome.exc, MemoryError):
            return WRONG, f"your function ran out of memory on {label}{outcome.where}."
        message = f": {outcome.exc_message}" if outcome.exc_message else ""
        return WRONG, f"your function raised {outcome.exc_type}{message} on {label}{outcome.where}."

    def _compare(self, got: Any, want: Any, args: tuple) -> str | None:
        """None if right; "placeholder" if ___ / None came back; otherwise the reason."""
        low = any(isinstance(a, _ndarray) and a.dtype == _float32 for a in args)
        rtol = max(self.rtol, FLOAT32_RTOL) if low else self.rtol
        atol = max(self.atol, FLOAT32_ATOL) if low else self.atol
        if self.outputs is None:
            if is_placeholder(got):
                return "placeholder"
            return compare_arrays(got, want, rtol, atol, what="the result", float32_ok=self.float32_ok)
        names = ", ".join(self.outputs)
        if is_placeholder(got) or (isinstance(got, (tuple, list)) and any(is_placeholder(g) for g in got)):
            return "placeholder"
        if not isinstance(got, (tuple, list)) or len(got) != len(self.outputs):
            return f"return a tuple of {len(self.outputs)} arrays ({names}); got {_describe(got)}."
        for name, g, w in zip(self.outputs, got, want):
            reason = compare_arrays(g, w, rtol, atol, what=name, float32_ok=self.float32_ok)
            if reason is not None:
                return reason
        return None

    def _after_correct(self, answer: Any, n_cases: int) -> tuple[str, str]:
        """The verdict once every case matched (subclasses add behaviour checks here)."""
        what = f"all of {', '.join(self.outputs)} match" if self.outputs else "matches the reference"
        return CORRECT, f"{what} on all {n_cases} test inputs."


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
