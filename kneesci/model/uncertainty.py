"""How sure is the model about its own numbers? Each probability in `data/` as a distribution.

A cited figure rests on n patients; an estimate on judgement. Each number p with evidence weight
n becomes a Beta(n p, n (1 - p)) distribution (mean p: as if p n of n patients had the finding),
and each setting's priors a Dirichlet. Sampling the tables many times and recomputing the
posterior shows how far the answer could move if the numbers were as uncertain as their evidence:

>>> import kneesci
>>> dx = kneesci.load().differential({"slr_positive": True})
>>> low, high = dx.intervals(level=0.8, seed=1)["l5_radiculopathy"]
>>> low <= dx.probability("l5_radiculopathy") <= high
True
"""

from __future__ import annotations

import weakref
from typing import Protocol

import numpy as np

from .loading import Condition, Estimate, Number, Setting
from .probability import percent


class NumberTables(Protocol):
    """What the intervals read from a knowledge base (`kneesci.knowledge_base.NumberTables`).

    Written as a protocol so that the model's layers point one way: the knowledge base uses
    inference, inference uses these intervals, and nothing here imports either of them.
    """

    condition_ids: tuple[str, ...]
    conditions: dict[str, Condition]
    settings: dict[str, Setting]
    numbers: list[Number]
    number_of: dict[str, np.ndarray]

    def finding_index(self, finding: str) -> int: ...

    def prior_estimate(self, condition: str, setting: str = ...) -> Estimate: ...

    def log_prior(self, setting: str) -> np.ndarray: ...


class Posterior(Protocol):
    """What the intervals read from a differential (`kneesci.inference.Differential`)."""

    @property
    def kb(self) -> NumberTables: ...

    setting: str
    counted: dict[str, bool]
    posterior: np.ndarray

    def ranked(self) -> list[tuple[str, float]]: ...

    def intervals(
        self, level: float = ..., draws: int = ..., seed: int | None = ...
    ) -> dict[str, tuple[float, float]]: ...


# The evidence weight of an estimate: it counts as much as a study of 10 patients. Small on
# purpose, so that a guess is shown as a guess (an estimate of 0.5 has an 80% interval of
# about 0.30-0.70), yet a row still means something. A cited figure whose n is not yet filled
# in is weighted the same way until it is.
PSEUDO_COUNT = 10
DRAWS = 2000


def population_steps(estimate: Estimate, setting_population: str = "") -> int:
    """How far a figure's population lies from a setting's patients, in steps (0, 1 or 2).

    Steps come from `kneesci.loading.POPULATIONS`: first contact 0, referred or sent for imaging
    1, selected by the confirming procedure (block, operation, angiogram, nerve studies) 2. An
    estimate, or a figure or setting whose population is not recorded, is 0 steps away.
    """
    from .loading import POPULATIONS

    if estimate.provenance.is_estimate or not estimate.population or not setting_population:
        return 0
    return abs(POPULATIONS[estimate.population][0] - POPULATIONS[setting_population][0])


def evidence_weight(estimate: Estimate, setting_population: str = "") -> float:
    """How many patients a number counts as in a setting: its study's n, or the pseudo-count.

    A figure measured in another population (see `population_steps`) counts half as much per
    step away: a surgical series of 180 weighs as 45 in primary care and 90 in a spine clinic.
    It never falls below what an estimate weighs (or its own n, if that is smaller): a figure
    measured elsewhere is still no worse than a guess.

    >>> from kneesci.loading import Estimate, Provenance
    >>> cited = Provenance("capra2011", "specificity 0.74")
    >>> evidence_weight(Estimate(0.3, cited, 180, "surgical"), "primary_care")
    45.0
    >>> evidence_weight(Estimate(0.3, cited, 12, "surgical"), "primary_care")
    10.0
    """
    if estimate.provenance.is_estimate or not estimate.n:
        return float(PSEUDO_COUNT)
    steps = population_steps(estimate, setting_population)
    return max(estimate.n / 2**steps, float(min(estimate.n, PSEUDO_COUNT)))


def beta_parameters(estimate: Estimate, setting_population: str = "") -> tuple[float, float]:
    """Beta(a, b) with mean equal to the number and a + b its evidence weight in the setting.

    >>> from kneesci.loading import Estimate, Provenance
    >>> beta_parameters(Estimate(0.3, Provenance("estimate", "a guess")))
    (3.0, 7.0)
    """
    n = evidence_weight(estimate, setting_population)
    return n * estimate.value, n * (1.0 - estimate.value)


def beta_interval(
    estimate: Estimate, level: float = 0.8, draws: int = 20_000
) -> tuple[float, float]:
    """The central interval of a number's Beta distribution (from a fixed-seed sample, so it
    is the same on every run and within about 0.005 of the exact quantiles)."""
    a, b = (np.array([x]) for x in beta_parameters(estimate))
    log_p, _ = _log_beta_draws(a, b, np.random.default_rng(0), draws)
    tail = (1.0 - level) / 2.0
    low, high = np.quantile(np.exp(log_p[:, 0]), [tail, 1.0 - tail])
    return float(low), float(high)


def _log_gamma_draws(shape: np.ndarray, rng: np.random.Generator, size: tuple) -> np.ndarray:
    """log of Gamma(shape) draws, exact even for tiny shapes.

    For a shape below 1, Gamma(a) = Gamma(a + 1) * U^(1/a): in logs nothing underflows, so a
    Beta(0.05, 9.95) draw (a rare sign estimated at 0.5%) never becomes exactly 0 and its log
    stays finite. Larger shapes are drawn directly (half the work).
    """
    small = shape < 1.0
    log_g = np.log(rng.standard_gamma(np.where(small, shape + 1.0, shape), size=size))
    if small.any():
        columns = np.flatnonzero(small)
        uniform = rng.random((size[0], len(columns)))
        log_g[:, columns] += np.log(uniform) / shape[columns]
    return log_g


def _log_beta_draws(a: np.ndarray, b: np.ndarray, rng: np.random.Generator, draws: int):
    """log p and log (1 - p) for Beta(a, b) draws (draws x len(a)), via two Gammas."""
    size = (draws, len(a))
    log_x, log_y = _log_gamma_draws(a, rng, size), _log_gamma_draws(b, rng, size)
    log_total = np.logaddexp(log_x, log_y)
    return log_x - log_total, log_y - log_total


_PARAMETERS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _all_beta_parameters(kb: NumberTables, setting: str) -> np.ndarray:
    """Beta (a, b) of every number in `kb.numbers` as weighed in one setting, 2 x numbers,
    worked out once per kb and setting (the weight depends on the setting's population)."""
    by_setting = _PARAMETERS.setdefault(kb, {})
    if setting not in by_setting:
        population = kb.settings[setting].population
        by_setting[setting] = np.array(
            [beta_parameters(n.estimate, population) for n in kb.numbers]
        ).T
    return by_setting[setting]


def prior_concentration(kb: NumberTables, setting: str) -> float:
    """The Dirichlet's total weight: the smallest evidence weight among the setting's priors.

    One weight for the whole vector (a Dirichlet has one); the smallest, so that one estimated
    prior keeps the whole vector honest about its uncertainty.
    """
    return float(min(evidence_weight(kb.prior_estimate(c, setting)) for c in kb.condition_ids))


def log_prior_draws(
    kb: NumberTables, setting: str, draws: int, rng: np.random.Generator
) -> np.ndarray:
    """log pre-test probabilities, draws x conditions, from the setting's Dirichlet."""
    alpha = np.exp(kb.log_prior(setting)) * prior_concentration(kb, setting)
    log_g = _log_gamma_draws(alpha, rng, (draws, len(alpha)))
    return log_g - np.logaddexp.reduce(log_g, axis=1, keepdims=True)


def posterior_draws(dx: Posterior, draws: int = DRAWS, seed: int | None = 0) -> np.ndarray:
    """The posterior recomputed with every number it uses redrawn: draws x conditions.

    A number shared by several conditions (a background rate) is drawn once per sample, because
    it is one number. Up to `BANK_DRAWS` draws with a seed come from one bank of draws of every
    number, made once per knowledge base: the explorer's whiskers then cost a look-up per click,
    and move only when the findings do, never from sampling noise. Otherwise only the numbers
    this differential uses are drawn.
    """
    kb = dx.kb
    columns = [kb.finding_index(f) for f in dx.counted]
    cells = kb.number_of[dx.setting][:, columns]  # conditions x counted findings
    present = np.array(list(dx.counted.values()), dtype=bool)
    if seed is not None and draws <= BANK_DRAWS:
        log_both, log_priors = _bank(kb, dx.setting, draws, seed)
        # columns 0..N-1 hold log p, N..2N-1 log (1 - p): one gather picks present or absent
        terms = log_both[:, cells + len(kb.numbers) * ~present]
        log_joint = log_priors + terms.sum(axis=2)
    else:
        rng = np.random.default_rng(seed)
        log_joint = log_prior_draws(kb, dx.setting, draws, rng)
        if dx.counted:
            used, where = np.unique(cells, return_inverse=True)
            a, b = _all_beta_parameters(kb, dx.setting)[:, used]
            log_p, log_q = _log_beta_draws(a, b, rng, draws)
            where = where.reshape(cells.shape)
            terms = np.where(present, log_p[:, where], log_q[:, where])  # draws x C x K
            log_joint = log_joint + terms.sum(axis=2)
    weights = np.exp(log_joint - log_joint.max(axis=1, keepdims=True))
    return weights / weights.sum(axis=1, keepdims=True)


BANK_DRAWS = 500
_BANKS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _bank(kb: NumberTables, setting: str, draws: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Draws of every number (log p beside log (1 - p)), weighed as in one setting, and of that
    setting's priors, kept for reuse; at most a few banks per knowledge base (500 draws of 750
    numbers is about 6 MB)."""
    banks = _BANKS.setdefault(kb, {})
    if (setting, draws, seed) not in banks:
        if len(banks) >= 6:
            banks.pop(next(iter(banks)))
        rng = np.random.default_rng(seed)
        a, b = _all_beta_parameters(kb, setting)
        log_p, log_q = _log_beta_draws(a, b, rng, draws)
        priors = log_prior_draws(kb, setting, draws, rng)
        banks[(setting, draws, seed)] = (np.concatenate([log_p, log_q], axis=1), priors)
    return banks[(setting, draws, seed)]


def intervals(
    dx: Posterior, level: float = 0.8, draws: int = DRAWS, seed: int | None = 0
) -> dict[str, tuple[float, float]]:
    """{condition id: (low, high)}, the central `level` interval of each posterior probability.

    Each interval is widened, if need be, to contain the model's own answer (the point
    estimate): with a skewed distribution the point can fall just outside the sampled
    percentiles, and an interval that excludes the answer beside it would confuse a reader.
    """
    if isinstance(level, bool) or not isinstance(level, int | float | np.number):
        raise TypeError(
            f"level must be a number strictly between 0 and 1 (e.g. 0.8), not {level!r}."
        )
    if not 0.0 < level < 1.0:
        raise ValueError(f"level must lie strictly between 0 and 1, not {level!r}.")
    if isinstance(draws, bool) or not isinstance(draws, int | np.integer):
        raise TypeError(f"draws must be a whole number (e.g. {DRAWS}), not {draws!r}.")
    if draws < 2:
        raise ValueError(f"draws must be 2 or more, not {draws!r}.")
    samples = posterior_draws(dx, draws, seed)
    tail = (1.0 - level) / 2.0
    low, high = np.quantile(samples, [tail, 1.0 - tail], axis=0)
    low, high = np.minimum(low, dx.posterior), np.maximum(high, dx.posterior)
    return {
        c: (float(lo), float(hi)) for c, lo, hi in zip(dx.kb.condition_ids, low, high, strict=True)
    }


def intervals_text(dx: Posterior, n: int = 3, level: float = 0.8, seed: int = 0) -> str:
    """The leading conditions with their intervals, e.g. 'L5 radiculopathy: 39% (80% interval
    3% to 80%)'."""
    spans = dx.intervals(level=level, seed=seed)
    return "\n".join(
        f"{dx.kb.conditions[c].label}: {percent(p)} ({level:.0%} interval "
        f"{percent(spans[c][0])} to {percent(spans[c][1])})"
        for c, p in dx.ranked()[:n]
    )
