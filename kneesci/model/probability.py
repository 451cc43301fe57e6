"""Probability arithmetic and how to write a probability: the bottom of the model.

Nothing here knows about knee pain; everything above uses these few functions, so a probability
is computed and written the same way in the model, the course and the views.

>>> percent(post_test_probability(0.2, 4.0))
'50%'
"""

from __future__ import annotations

import numpy as np


def percent(p: float, decimals: int = 0) -> str:
    """A model probability as a percentage that never claims certainty.

    This model is never certain, so a probability that would round to 0% or 100% is written
    "< 1%" or "> 99%" (with one decimal, "< 0.1%" and "> 99.9%").

    >>> percent(0.4), percent(0.003), percent(0.9996), percent(0.9996, decimals=1)
    ('40%', '< 1%', '> 99%', '> 99.9%')
    """
    step = 10.0**-decimals  # the smallest percentage shown
    shown = f"{100.0 * p:.{decimals}f}"
    if float(shown) <= 0.0:
        return f"< {step:g}%"
    if float(shown) >= 100.0:
        return f"> {100.0 - step:g}%"
    return f"{shown}%"


def post_test_probability(pretest: float, likelihood_ratio: float) -> float:
    """Post-test probability from pre-test probability and a likelihood ratio.

    >>> round(post_test_probability(0.2, 4.0), 3)
    0.5

    The pre-test probability lies strictly between 0 and 1 and the likelihood ratio is a
    positive finite number; anything else is refused, naming the argument.
    """
    for name, value in (("pretest", pretest), ("likelihood_ratio", likelihood_ratio)):
        if isinstance(value, bool) or not isinstance(value, int | float | np.number):
            raise TypeError(f"{name} must be a number, not {value!r}.")
    if not 0.0 < pretest < 1.0:
        raise ValueError(
            f"pretest must be a probability strictly between 0 and 1 (e.g. 0.2 for 20%), not "
            f"{pretest!r}."
        )
    if not 0.0 < likelihood_ratio < float("inf"):
        raise ValueError(
            f"likelihood_ratio must be a positive finite number (e.g. 4.0), not "
            f"{likelihood_ratio!r}."
        )
    odds = pretest / (1.0 - pretest) * likelihood_ratio
    return float(odds / (1.0 + odds))


def normalise_log(log_weights: np.ndarray) -> np.ndarray:
    """Turn log weights into probabilities that sum to 1 (log-sum-exp, so nothing overflows).

    >>> normalise_log(np.log(np.array([1.0, 3.0]))).round(2).tolist()
    [0.25, 0.75]
    """
    shifted = np.exp(log_weights - np.max(log_weights, axis=0, keepdims=True))
    result: np.ndarray = shifted / shifted.sum(axis=0, keepdims=True)
    return result


def entropy_bits(p: np.ndarray) -> np.ndarray:
    """Shannon entropy in bits along the first axis (0 log 0 taken as 0).

    >>> float(entropy_bits(np.array([0.5, 0.5])))
    1.0
    """
    safe = np.where(p > 0, p, 1.0)
    result: np.ndarray = -(p * np.log2(safe)).sum(axis=0)
    return result
