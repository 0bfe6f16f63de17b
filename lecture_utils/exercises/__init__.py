"""Self-checking exercises. The framework is in :mod:`._core`; each notebook's exercises live
in a module of their own (``nb01``, ``nb02``, …) and are imported from there::

    from lecture_utils.exercises import ___
    from lecture_utils.exercises.nb04 import q1_softmax_by_hand
"""

from ._core import (ArrayExercise, ChoiceExercise, Exercise, FunctionExercise, NumberExercise,
                    Placeholder, Result, ValueExercise, ___, is_placeholder)

__all__ = ["___", "Placeholder", "Result", "Exercise", "NumberExercise", "ArrayExercise",
           "FunctionExercise", "ChoiceExercise", "ValueExercise", "is_placeholder"]
