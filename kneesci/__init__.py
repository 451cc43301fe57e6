"""kneesci: reason about knee pain that may not come from the knee.

>>> import kneesci
>>> kb = kneesci.load()
>>> dx = kb.differential({"low_back_pain": True, "saddle_anaesthesia": True})
>>> dx.red_flags
['cauda_equina_syndrome']
>>> dx.concerns[0].level, kneesci.LEVEL_WORDS[dx.concerns[0].level]
('immediate', 'Refer immediately')
"""

import importlib
import importlib.abc
import importlib.util
import sys
from types import ModuleType

from .course import anatomy
from .model.errors import ContradictionError, DataError, UnknownIdError
from .model.inference import Contribution, Differential
from .model.knowledge_base import KnowledgeBase, PostTest, load, post_test_probability
from .model.red_flag_rules import LEVEL_WORDS, LEVELS, Concern

__all__ = [
    "anatomy",
    "Concern",
    "LEVEL_WORDS",
    "LEVELS",
    "ContradictionError",
    "Contribution",
    "DataError",
    "Differential",
    "KnowledgeBase",
    "PostTest",
    "UnknownIdError",
    "load",
    "post_test_probability",
]
__version__ = "0.2.0"

# Each module lives in its layer's folder (model/, course/, views/, widgets/). The paths that
# notebooks, assignments and outside code have always used (``kneesci.cases``,
# ``import kneesci.game``) stay valid: they name the same module object, imported on first use,
# so ``import kneesci`` alone still loads neither matplotlib nor ipywidgets.
LAYER_OF = {
    **dict.fromkeys(
        (
            "errors inference knowledge_base loading patient probability reading red_flag_rules "
            "spectrum uncertainty wells"
        ).split(),
        "model",
    ),
    **dict.fromkeys(
        (
            "anatomy calibration cards cases check citations compare criteria evidence exercises "
            "concerns game library_evaluation library_report management progress"
        ).split(),
        "course",
    ),
    **dict.fromkeys(
        (
            "anatomy_plots calibration_plots compare_plots concern_views describe figure "
            "library_plots nomogram palette plots"
        ).split(),
        "views",
    ),
}


class _LayerPaths(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Finds ``kneesci.<module>`` at ``kneesci.<layer>.<module>`` (one module, two names)."""

    def find_spec(self, name, path=None, target=None):  # type: ignore[no-untyped-def]
        package, _, module = name.rpartition(".")
        if package != __name__ or module not in LAYER_OF:
            return None
        return importlib.util.spec_from_loader(name, self)

    def create_module(self, spec):  # type: ignore[no-untyped-def]
        return None

    def exec_module(self, module: ModuleType) -> None:
        short = module.__name__.rpartition(".")[2]
        # The import system hands out whatever sys.modules holds under the name afterwards.
        real = importlib.import_module(f".{LAYER_OF[short]}.{short}", __name__)
        sys.modules[module.__name__] = real


if not any(isinstance(finder, _LayerPaths) for finder in sys.meta_path):
    # First in line: an editable install's finder would otherwise look for the old file paths.
    sys.meta_path.insert(0, _LayerPaths())
