"""kneesci: reason about knee pain that may not come from the knee.

>>> import kneesci
>>> kb = kneesci.load()
>>> dx = kb.differential({"low_back_pain": True, "saddle_anaesthesia": True})
>>> dx.red_flags
['cauda_equina_syndrome']
>>> dx.concerns[0].level, kneesci.LEVEL_WORDS[dx.concerns[0].level]
('immediate', 'Refer immediately')
"""

from . import anatomy
from .errors import ContradictionError, DataError, UnknownIdError
from .inference import Contribution, Differential
from .knowledge_base import KnowledgeBase, PostTest, load, post_test_probability
from .red_flag_rules import LEVEL_WORDS, LEVELS, Concern

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
