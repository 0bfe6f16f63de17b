"""Self-checking exercises. The framework is in :mod:`._core`; each notebook's exercises live
in a module of their own (``nb01``, ``nb02``, …), listed in order in its ``EXERCISES``::

    from lecture_utils.exercises import ___, progress
    from lecture_utils.exercises.nb05 import q1_softmax_by_hand

``progress()`` shows a table of the exercises of every imported notebook module;
``graded_mode()`` is true when ``LECTURE_UTILS_GRADED`` is 1 / true / yes (solutions withheld).
"""

from ._core import (ArrayExercise, ChoiceExercise, Exercise, FunctionExercise, NumberExercise,
                    Placeholder, Progress, Result, ValueExercise, ___, graded_mode, is_placeholder,
                    progress)

__all__ = ["___", "Placeholder", "Result", "Exercise", "NumberExercise", "ArrayExercise",
           "FunctionExercise", "ChoiceExercise", "ValueExercise", "is_placeholder", "graded_mode",
           "progress", "Progress"]
