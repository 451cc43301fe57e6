"""The notebooks' exercises, kept as data so that no answer is readable before answering.

Question, options and explanation live in `data/exercises.yaml`; where the right answer follows
from the model's numbers, a function here computes it from the knowledge base, so the answer
always agrees with what the explorer shows. Notebooks only call an exercise by its id:

    >>> import kneesci
    >>> from kneesci.exercises import get_exercise
    >>> ex = get_exercise("01.1", kneesci.load())
    >>> ex.kind, ex.options
    ('choice', ('L3', 'L4', 'L5', 'S1'))

(`kneesci.widgets.exercise("01.1")` shows it with a Check button.)
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from yaml import SequenceNode

from ..model.errors import DataError, did_you_mean
from ..model.knowledge_base import KnowledgeBase
from ..model.probability import percent
from ..model.reading import compose_yaml, read_yaml, set_aside, shown
from ..model.wells import wells_dvt_level, wells_dvt_score
from .compare import compare

FILE = "exercises.yaml"
KINDS = ("choice", "number")
REQUIRED = ("id", "notebook", "kind", "question", "explanation")
OPTIONAL_FIELDS = ("options", "answer", "compute", "optional", "tolerance", "unit")
PARAMETERS = ("patients", "recommendation")  # handed to the compute function


@dataclass(frozen=True)
class Exercise:
    """One question with its right answer and the explanation shown after answering."""

    id: str
    notebook: str
    kind: str
    question: str
    options: tuple[str, ...]
    answer: str | float
    explanation: str
    optional: bool = False
    tolerance: float = 0.0
    unit: str = ""


@dataclass(frozen=True)
class ExerciseSpec:
    """An exercise as written in the YAML file, before the knowledge base fills it in."""

    id: str
    notebook: str
    kind: str
    question: str
    options: tuple[str, ...]
    answer: str | float | None
    compute: str | None
    explanation: str
    optional: bool
    tolerance: float
    unit: str
    parameters: Mapping[str, Any]


def exercises_path(kb: KnowledgeBase) -> Path:
    """The exercise bank beside a knowledge base (its data folder's exercises.yaml)."""
    return Path(kb.source) / FILE


def read_specs(path: str | Path, kb: KnowledgeBase | None = None) -> dict[str, ExerciseSpec]:
    """Read and check the exercise bank; errors name the file, the line, the exercise and field.

    With `kb`, the finding and condition ids the exercises name are checked against it too.
    """
    path = Path(path)
    name = path.name
    text, raw = read_yaml(path, name)
    if not isinstance(raw, list):
        raise DataError(
            f"{name}: expected a list of exercises, got {type(raw).__name__}.", file=name
        )
    lines = _item_lines(text)
    skipped = set_aside(name)  # exercises a running check has already reported
    specs: dict[str, ExerciseSpec] = {}
    for index, item in enumerate(raw, start=1):
        line = lines[index - 1] if index <= len(lines) else None
        if line in skipped:
            continue
        where = f"{name}, exercise {index}" + (f" (line {line})" if line else "")
        try:
            spec = _read_spec(item, where)
            if spec.id in specs:
                raise DataError(f"{where}: exercise id {spec.id!r} appears twice.")
            if kb is not None:
                _check_ids(spec, kb, f"{where} ({spec.id})")
        except DataError as err:
            raise DataError(
                str(err), file=name, line=line, row=str(index), unknown=err.unknown
            ) from None
        specs[spec.id] = spec
    return specs


def _item_lines(text: str) -> list[int]:
    """The 1-based line on which each exercise starts (YAML keeps no lines)."""
    root = compose_yaml(text)
    if not isinstance(root, SequenceNode):
        return []
    return [item.start_mark.line + 1 for item in root.value]


def _check_ids(spec: ExerciseSpec, kb: KnowledgeBase, where: str) -> None:
    """Every condition and finding id an exercise names is one the knowledge base defines."""
    for option in spec.options:
        kind, _, item = option.partition(":")
        valid = {"condition": kb.conditions, "finding": kb.findings}.get(kind)
        if valid is not None and item not in valid:
            raise DataError(
                f"{where}, field 'options': unknown {kind} id {shown(item)}."
                f"{did_you_mean(item, valid)}",
                unknown=item,
            )
    patients = spec.parameters.get("patients", [])
    if not isinstance(patients, list):
        raise DataError(f"{where}, field 'patients': expected a list of patients' findings.")
    for number, patient in enumerate(patients, start=1):
        if not isinstance(patient, Mapping):
            raise DataError(f"{where}, field 'patients', patient {number}: expected findings.")
        for fid, value in patient.items():
            if fid not in kb.findings:
                raise DataError(
                    f"{where}, field 'patients', patient {number}: unknown finding id "
                    f"{shown(fid)}.{did_you_mean(fid, kb.findings)}",
                    unknown=str(fid),
                )
            if not isinstance(value, bool):
                raise DataError(
                    f"{where}, field 'patients', patient {number}: {fid} is {shown(value)}, "
                    "not true or false."
                )


def _read_spec(item: Any, where: str) -> ExerciseSpec:
    if not isinstance(item, dict):
        raise DataError(f"{where}: expected a mapping of fields, got {shown(item)}.")
    missing = [f for f in REQUIRED if not str(item.get(f, "")).strip()]
    if missing:
        raise DataError(f"{where}: missing {', '.join(missing)}.")
    where = f"{where} ({item['id']})"
    unknown = set(item) - set(REQUIRED) - set(OPTIONAL_FIELDS) - set(PARAMETERS)
    if unknown:
        raise DataError(f"{where}: unknown field(s) {sorted(unknown)}.")
    kind = item["kind"]
    if kind not in KINDS:
        raise DataError(f"{where}: kind must be one of {KINDS}, not {kind!r}.")
    compute = item.get("compute")
    if compute is not None and compute not in COMPUTED:
        raise DataError(f"{where}: no answer function {compute!r} in kneesci/exercises.py.")
    if compute is None and "answer" not in item:
        raise DataError(f"{where}: give an answer, or a compute function that works it out.")
    options = tuple(str(o) for o in item.get("options", ()))
    if kind == "choice" and compute is None and len(options) < 2:
        raise DataError(f"{where}: a choice needs two or more options.")
    if kind == "choice" and "answer" in item and options and str(item["answer"]) not in options:
        raise DataError(f"{where}: the answer {item['answer']!r} is not one of the options.")
    tolerance = item.get("tolerance", 0.0)
    if not isinstance(tolerance, int | float) or tolerance < 0:
        raise DataError(f"{where}: tolerance must be a number >= 0, not {tolerance!r}.")
    answer = item.get("answer")
    if kind == "number" and answer is not None and not isinstance(answer, int | float):
        raise DataError(f"{where}: a number exercise needs a numeric answer, not {answer!r}.")
    return ExerciseSpec(
        id=str(item["id"]),
        notebook=str(item["notebook"]),
        kind=kind,
        question=" ".join(str(item["question"]).split()),
        options=options,
        answer=answer if kind == "number" or answer is None else str(answer),
        compute=compute,
        explanation=str(item["explanation"]).strip(),
        optional=bool(item.get("optional", False)),
        tolerance=float(tolerance),
        unit=str(item.get("unit", "")),
        parameters={k: item[k] for k in PARAMETERS if k in item},
    )


def load_specs(kb: KnowledgeBase) -> dict[str, ExerciseSpec]:
    """The exercise bank beside a knowledge base, its ids checked against it."""
    return read_specs(exercises_path(kb), kb)


def get_exercise(exercise_id: str, kb: KnowledgeBase) -> Exercise:
    """One exercise with its options, answer and explanation worked out from the knowledge base."""
    specs = load_specs(kb)
    if exercise_id not in specs:
        raise KeyError(f"No exercise {exercise_id!r} in {FILE}; there are {', '.join(specs)}.")
    return build(specs[exercise_id], kb)


def build(spec: ExerciseSpec, kb: KnowledgeBase) -> Exercise:
    """Fill in option labels, the computed answer and the explanation's numbers."""
    options = tuple(_option_label(kb, o) for o in spec.options)
    values: dict[str, Any] = {}
    if spec.compute:
        values = COMPUTED[spec.compute](kb, options, **spec.parameters)
    options = tuple(values.get("options", options))
    answer = values.get("answer", spec.answer)
    if spec.kind == "choice" and answer not in options:
        raise DataError(f"{FILE} ({spec.id}): the answer {answer!r} is not one of {options!r}.")
    if spec.kind == "number" and not math.isfinite(float(answer)):
        raise DataError(f"{FILE} ({spec.id}): the computed answer is not a number.")
    try:
        explanation = " ".join(spec.explanation.format(**{**values, "answer": answer}).split())
    except (KeyError, IndexError, ValueError) as err:
        raise DataError(f"{FILE} ({spec.id}): the explanation names {err}, not computed.") from None
    return Exercise(
        id=spec.id,
        notebook=spec.notebook,
        kind=spec.kind,
        question=spec.question,
        options=options,
        answer=answer if spec.kind == "choice" else float(answer),
        explanation=explanation,
        optional=spec.optional,
        tolerance=spec.tolerance,
        unit=spec.unit,
    )


def _option_label(kb: KnowledgeBase, option: str) -> str:
    kind, _, item = option.partition(":")
    if kind == "condition" and item:
        return kb.conditions[kb.check_condition(item)].label
    if kind == "finding" and item:
        return kb.findings[kb.check_finding(item)].label
    return option


# --- answers the model works out ---------------------------------------------------------------
Computed = Callable[..., dict[str, Any]]
COMPUTED: dict[str, Computed] = {}


def _answer(function: Computed) -> Computed:
    COMPUTED[function.__name__] = function
    return function


def _label(kb: KnowledgeBase, item: str) -> str:
    return (kb.conditions.get(item) or kb.findings[item]).label


@_answer
def first_before_questions(kb: KnowledgeBase, options: tuple[str, ...]) -> dict[str, Any]:
    ranked = kb.differential({}).ranked()
    return {
        "options": sorted(_label(kb, c) for c, _ in ranked[:4]),
        "answer": _label(kb, ranked[0][0]),
    }


@_answer
def lr_plus_example(kb: KnowledgeBase, options: tuple[str, ...]) -> dict[str, Any]:
    from .evidence import likelihood_ratios

    return {"answer": likelihood_ratios(0.60, 0.95)[0]}


@_answer
def femoral_stretch_post_test(kb: KnowledgeBase, options: tuple[str, ...]) -> dict[str, Any]:
    from .evidence import odds

    test = kb.post_test("l4_radiculopathy", "femoral_nerve_stretch_positive")
    return {
        "answer": 100 * test.posttest,
        "pre_odds": odds(test.pretest),
        "lr": test.likelihood_ratio,
        "post_odds": odds(test.posttest),
        "post": percent(test.posttest),
    }


@_answer
def negative_slr_for_l4(kb: KnowledgeBase, options: tuple[str, ...]) -> dict[str, Any]:
    test = kb.post_test("l4_radiculopathy", "slr_positive", present=False)
    rules_out, lowers, no_change = options
    if test.likelihood_ratio < 0.1:
        answer = rules_out
    elif test.likelihood_ratio < 1:
        answer = lowers
    else:
        answer = no_change
    return {
        "answer": answer,
        "sensitivity": f"{kb.likelihood('slr_positive', 'l4_radiculopathy'):.0%}",
        "lr": test.likelihood_ratio,
        "pre": percent(test.pretest),
        "post": percent(test.posttest),
        # One decimal: a small fall (3.0% to 2.7%) must not read as "3% becomes 3%".
        "pre_exact": percent(test.pretest, decimals=1),
        "post_exact": percent(test.posttest, decimals=1),
    }


@_answer
def strongest_test_for_l4(kb: KnowledgeBase, options: tuple[str, ...]) -> dict[str, Any]:
    candidates = [
        "slr_positive",
        "slump_positive",
        "crossed_slr_positive",
        "femoral_nerve_stretch_positive",
    ]
    ratios = {f: kb.post_test("l4_radiculopathy", f).likelihood_ratio for f in candidates}
    best = max(ratios, key=ratios.get)
    return {
        "answer": _label(kb, best),
        "ratios": "; ".join(f"{_label(kb, f)} {lr:.1f}" for f, lr in ratios.items()),
    }


def _lower_root_probability(
    kb: KnowledgeBase, findings: dict[str, bool], count_groups_once: bool = True
) -> float:
    dx = kb.differential(findings, count_groups_once=count_groups_once)
    return sum(dx.probability(c) for c in ("l5_radiculopathy", "s1_radiculopathy"))


@_answer
def slr_and_slump_together(kb: KnowledgeBase, options: tuple[str, ...]) -> dict[str, Any]:
    # Two tests of the same nerve tension are correlated; naive Bayes counts both in full, which
    # is what kneesci avoids by counting the group once (finding_groups.csv).
    one = _lower_root_probability(kb, {"slr_positive": True})
    both = {"slr_positive": True, "slump_positive": True}
    naive = _lower_root_probability(kb, both, count_groups_once=False)
    grouped = _lower_root_probability(kb, both)
    return {"one": percent(one), "both": percent(naive), "grouped": percent(grouped)}


@_answer
def knee_pain_alone(kb: KnowledgeBase, options: tuple[str, ...]) -> dict[str, Any]:
    return {"answer": _label(kb, kb.differential({"knee_pain": True}).top)}


@_answer
def femoral_root_pattern(kb: KnowledgeBase, options: tuple[str, ...]) -> dict[str, Any]:
    dx = kb.differential(
        {
            "knee_pain": True,
            "quadriceps_weakness": True,
            "patellar_reflex_reduced": True,
            "femoral_nerve_stretch_positive": True,
            "sensory_loss_medial_leg": True,
        }
    )
    return {"answer": _label(kb, dx.top)}


@_answer
def negative_slr_for_l5(kb: KnowledgeBase, options: tuple[str, ...]) -> dict[str, Any]:
    story = {"leg_pain_worse_than_back_pain": True, "pain_radiates_below_knee": True}
    before = kb.differential(story).probability("l5_radiculopathy")
    after = kb.differential({**story, "slr_positive": False}).probability("l5_radiculopathy")
    down, up, same = options
    return {"answer": down if after < before else up if after > before else same}


@_answer
def saddle_numbness_with_knee_pain(kb: KnowledgeBase, options: tuple[str, ...]) -> dict[str, Any]:
    dx = kb.differential({"knee_pain": True, "knee_crepitus": True, "saddle_anaesthesia": True})
    banner, ranked, nothing = options
    if dx.red_flags:
        answer = banner if dx.top == "knee_osteoarthritis" else ranked
    else:
        answer = nothing
    return {"answer": answer}


def _pair_information(kb: KnowledgeBase, a: str, b: str, findings: list[str]) -> dict[str, float]:
    from .compare import compare

    pair = compare(kb, a, b)
    return {f: pair.row(f).information for f in findings}


@_answer
def claudication_best_question(kb: KnowledgeBase, options: tuple[str, ...]) -> dict[str, Any]:
    findings = [
        "worse_with_walking_or_standing",
        "relieved_by_standing_still",
        "age_over_65",
        "smoker",
    ]
    bits = _pair_information(kb, "lumbar_spinal_stenosis", "peripheral_artery_disease", findings)
    best = max(bits, key=bits.get)
    return {"answer": _label(kb, best), "bits": bits[best]}


@_answer
def l4_or_knee_weakest_question(kb: KnowledgeBase, options: tuple[str, ...]) -> dict[str, Any]:
    findings = [
        "sensory_loss_medial_leg",
        "patellar_reflex_reduced",
        "quadriceps_weakness",
        "femoral_nerve_stretch_positive",
    ]
    bits = _pair_information(kb, "l4_radiculopathy", "knee_osteoarthritis", findings)
    weakest = min(bits, key=bits.get)
    return {"answer": _label(kb, weakest), "bits": bits[weakest]}


@_answer
def foot_drop_strong_muscles(kb: KnowledgeBase, options: tuple[str, ...]) -> dict[str, Any]:
    from .compare import pair_posterior

    patient = {
        "foot_drop": True,
        "ankle_inversion_weakness": False,
        "hip_abduction_weakness": False,
    }
    p = pair_posterior(kb, "l5_radiculopathy", "peroneal_neuropathy", patient).probability_b
    return {"answer": round(100 * p, 1), "percent": percent(p)}


@_answer
def hip_or_knee_osteoarthritis(kb: KnowledgeBase, options: tuple[str, ...]) -> dict[str, Any]:
    from .compare import pair_posterior

    patient = {"knee_pain": True, "hip_internal_rotation_limited": True, "groin_pain": True}
    p = pair_posterior(kb, "hip_osteoarthritis", "knee_osteoarthritis", patient).probability_a
    return {"answer": round(100 * p, 1), "percent": percent(p)}


@_answer
def extension_rotation_result(kb: KnowledgeBase, options: tuple[str, ...]) -> dict[str, Any]:
    from .compare import compare, ratio_text

    row = compare(kb, "facet_joint_pain", "si_joint_pain").row("extension_rotation_pain")
    positive, negative, equal = options
    if math.isclose(abs(row.log_lr_present), abs(row.log_lr_absent), rel_tol=0.01):
        answer = equal
    else:
        answer = positive if abs(row.log_lr_present) > abs(row.log_lr_absent) else negative
    return {
        "answer": answer,
        "present": ratio_text(row.lr_present),
        "absent": ratio_text(row.lr_absent),
    }


@_answer
def reduced_ankle_jerk(kb: KnowledgeBase, options: tuple[str, ...]) -> dict[str, Any]:
    from .compare import compare, ratio_text

    row = compare(kb, "s1_radiculopathy", "peripheral_neuropathy").row("achilles_reflex_reduced")
    # A ratio under 2 either way is too weak to say the finding favours one side.
    barely = options[2]
    answer = (
        barely
        if max(row.lr_present, 1 / row.lr_present) < 2
        else _label(kb, row.favours_when_present)
    )
    return {
        "answer": answer,
        "p_root": row.p_a,
        "p_nerve": row.p_b,
        "ratio": ratio_text(row.lr_present),
    }


@_answer
def saddle_numbness_referral(kb: KnowledgeBase, options: tuple[str, ...]) -> dict[str, Any]:
    knee = {
        "age_over_65": True,
        "knee_pain": True,
        "knee_crepitus": True,
        "knee_bony_tenderness": True,
        "morning_stiffness_under_30_min": True,
        "painful_squat": True,
        "saddle_anaesthesia": True,
    }
    dx = kb.differential(knee)
    return {
        "answer": options[2] if dx.red_flags else options[0],
        "action": next((c.action for c in dx.concerns if c.flag == "cauda_equina_syndrome"), ""),
    }


@_answer
def morning_clinic_red_flags(
    kb: KnowledgeBase, options: tuple[str, ...], patients: list[dict[str, bool]]
) -> dict[str, Any]:
    flagged = [
        i
        for i, p in enumerate(patients, start=1)
        if any(c.level == "immediate" for c in kb.concerns(p))
    ]
    return {"answer": len(flagged), "flagged": ", ".join(map(str, flagged)) or "none"}


@_answer
def walking_pain_next_question(kb: KnowledgeBase, options: tuple[str, ...]) -> dict[str, Any]:
    from .cases import load_cases
    from .game import Game

    game = Game(load_cases(kb)["pad_as_low_back_pain"], kb)
    game.ask("worse_with_walking_or_standing")
    best = [_label(kb, f) for f, _ in game.suggestions(3)]
    return {"options": sorted(set(best) | {_label(kb, "knee_crepitus")}), "answer": best[0]}


def _recommendation(kb: KnowledgeBase, rid: str):
    from .management import load_management

    return load_management(kb)[rid]


@_answer
def acupuncture_for_sciatica(kb: KnowledgeBase, options: tuple[str, ...]) -> dict[str, Any]:
    from .management import GUIDELINE_WORDS

    row = _recommendation(kb, "lbp_acupuncture")
    return {
        "options": list(GUIDELINE_WORDS.values()),
        "answer": GUIDELINE_WORDS[row.recommendation],
        "note": row.provenance.note,
    }


@_answer
def pregabalin_by_guideline(kb: KnowledgeBase, options: tuple[str, ...]) -> dict[str, Any]:
    sciatica = _recommendation(kb, "sciatica_gabapentinoids").recommendation == "offer"
    neuropathy = _recommendation(kb, "neuropathic_pain_drugs").recommendation == "offer"
    for_sciatica, for_neuropathy, both, neither = options
    answer = {
        (True, True): both,
        (True, False): for_sciatica,
        (False, True): for_neuropathy,
        (False, False): neither,
    }[(sciatica, neuropathy)]
    return {"answer": answer}


@_answer
def management_note(
    kb: KnowledgeBase, options: tuple[str, ...], recommendation: str
) -> dict[str, Any]:
    return {"note": _recommendation(kb, recommendation).provenance.note}


@_answer
def root_or_nerve_best_question(kb: KnowledgeBase, options: tuple[str, ...]) -> dict[str, Any]:
    pair = compare(kb, "l4_radiculopathy", "femoral_neuropathy")
    candidates = (
        "hip_adduction_weakness",
        "ankle_dorsiflexion_weakness",
        "diabetes",
        "patellar_reflex_reduced",
    )
    best = max(candidates, key=lambda f: pair.row(f).information)
    return {
        "answer": _label(kb, best),
        "best_bits": pair.row(best).information,
        "adduction_bits": pair.row("hip_adduction_weakness").information,
    }


@_answer
def wells_example(kb: KnowledgeBase, options: tuple[str, ...]) -> dict[str, Any]:
    score = wells_dvt_score(
        {
            "active_cancer",
            "localised_deep_vein_tenderness",
            "calf_swelling_3cm",
            "alternative_diagnosis_as_likely",
        }
    )
    return {"answer": score, "level": wells_dvt_level(score)}


@_answer
def malignancy_action(kb: KnowledgeBase, options: tuple[str, ...]) -> dict[str, Any]:
    # the 05.7 patient: a past breast cancer, new and steadily worsening thoracic pain, no neurology
    patient = {
        "history_of_cancer": True,
        "thoracic_pain": True,
        "severe_unremitting_spinal_pain": True,
        "symptoms_new_or_worsening": True,
        "numbness_or_tingling": False,
        "bladder_or_bowel_dysfunction": False,
    }
    concern = next(c for c in kb.concerns(patient) if c.flag == "spinal_malignancy")
    return {"action": concern.action}


@_answer
def concern_level(
    kb: KnowledgeBase, options: tuple[str, ...], patients: list[dict]
) -> dict[str, Any]:
    """The most severe level of concern the rules raise for the exercise's patient, in words."""
    from ..model.red_flag_rules import LEVEL_WORDS

    concerns = kb.concerns(patients[0])
    if not concerns:
        raise DataError(f"{FILE}: the exercise's patient raises no concern to ask about.")
    top = concerns[0]  # most severe first
    flag = top.label[:1].lower() + top.label[1:]
    return {"answer": LEVEL_WORDS[top.level], "flag": flag, "action": top.action}


def answer_sheet(kb: KnowledgeBase) -> str:
    """Every exercise with its answer and explanation, as Markdown for the lecturer's guide.

    Built from the same bank and knowledge base the notebooks use, so the sheet gives the answers
    the current model gives; `tools/exercise_answers.py` writes it to build/exercise-answers.md.
    """
    lines = [
        "# Answers to the exercises",
        "",
        "For lecturers. Generated by `python tools/exercise_answers.py` from `data/exercises.yaml`",
        "and the knowledge base: computed answers follow the model's current numbers. Students see",
        "an answer only after they answer. *Optional* marks the information-gain extensions.",
    ]
    notebook = None
    for spec in load_specs(kb).values():
        ex = build(spec, kb)
        if ex.notebook != notebook:
            notebook = ex.notebook
            lines += ["", f"## {notebook}"]
        if ex.kind == "number":
            unit = f" {ex.unit}" if ex.unit else ""
            tolerance = f" (accepted within ± {ex.tolerance:g})" if ex.tolerance else ""
            answer = f"{ex.answer:g}{unit}{tolerance}"
        else:
            answer = str(ex.answer)
        optional = " *(optional)*" if ex.optional else ""
        lines += [
            "",
            f"**{ex.id}**{optional} {ex.question}",
            "",
            f"- Answer: **{answer}**",
            f"- Why: {ex.explanation}",
        ]
    return "\n".join(lines) + "\n"


__all__ = [
    "Exercise",
    "ExerciseSpec",
    "answer_sheet",
    "build",
    "get_exercise",
    "load_specs",
    "read_specs",
]
