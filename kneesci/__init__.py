"""kneesci: reason about knee pain that may not come from the knee.

>>> import kneesci
>>> kb = kneesci.load()
>>> dx = kb.differential({"saddle_anaesthesia": True})
>>> dx.red_flags
['cauda_equina_syndrome']
"""

from . import anatomy
from .errors import ContradictionError, DataError, UnknownIdError
from .inference import Contribution, Differential
from .knowledge_base import KnowledgeBase, PostTest, load, post_test_probability

__all__ = [
    "anatomy",
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
