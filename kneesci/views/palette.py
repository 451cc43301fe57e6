"""One palette and one set of sizes, so every figure looks like the same course.

Colours are the Okabe-Ito palette, chosen because it stays distinguishable for the common
forms of colour blindness (Okabe & Ito 2008, "Color Universal Design").
"""

from __future__ import annotations

OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}

# Roots L1-S2 in a fixed order; neighbours get contrasting hues so adjacent bands separate.
ROOT_COLOURS = {
    "L1": OKABE_ITO["yellow"],
    "L2": OKABE_ITO["sky_blue"],
    "L3": OKABE_ITO["orange"],
    "L4": OKABE_ITO["blue"],
    "L5": OKABE_ITO["bluish_green"],
    "S1": OKABE_ITO["reddish_purple"],
    "S2": OKABE_ITO["vermillion"],
}

HIGHLIGHT = OKABE_ITO["vermillion"]
MUTED = "#BBBBBB"
SKIN = "#F6EFE8"
OUTLINE = "#444444"
FOR = OKABE_ITO["blue"]  # evidence for a condition
AGAINST = OKABE_ITO["orange"]  # evidence against
RED_FLAG = "#B00020"

FONT_SIZE = 10
TITLE_SIZE = 12

# --- Anatomy diagrams (kneesci.anatomy_plots) ---------------------------------------------
# Sacral rings round the anus: greys, told apart by lightness, not hue.
SACRAL_COLOURS = {"S3": "#CFCFCF", "S4-5": "#8C8C8C"}

# Peripheral-nerve territories: Okabe-Ito hues, femoral branches in blues and greens, sciatic
# branches in warm hues, tibial branches of the sole in greys; neighbours always differ.
NERVE_COLOURS = {
    "lateral_femoral_cutaneous": OKABE_ITO["sky_blue"],
    "anterior_femoral_cutaneous": OKABE_ITO["blue"],
    "obturator": OKABE_ITO["yellow"],
    "saphenous": OKABE_ITO["bluish_green"],
    "saphenous_infrapatellar": "#8FD3BF",
    "common_peroneal": OKABE_ITO["orange"],
    "superficial_peroneal": OKABE_ITO["vermillion"],
    "deep_peroneal": "#333333",
    "sural": OKABE_ITO["yellow"],
    "tibial_calcaneal": "#9A9A9A",
    "medial_plantar": "#D2D2D2",
    "lateral_plantar": "#6F6F6F",
    "posterior_femoral_cutaneous": OKABE_ITO["reddish_purple"],
}

NUMB = "#2B2B2B"  # numb skin: dark shade plus hatching, so the cue never rests on colour alone
FEATURE_LINE = "#8A7F78"  # patella, malleoli, folds: quieter than the outline
LABEL_SIZE = 9

# One colour per group of conditions, the same in every chart (matplotlib or HTML).
GROUP_COLOURS = {
    "nerve root": OKABE_ITO["blue"],
    "spinal": OKABE_ITO["sky_blue"],
    "peripheral nerve": OKABE_ITO["bluish_green"],
    "vascular": OKABE_ITO["vermillion"],
    "joint": OKABE_ITO["orange"],
}
