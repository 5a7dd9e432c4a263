"""Validation: coding samples and sheets, coder agreement, machine against human, calibration.

* :mod:`~newslens.validation.sampling` — stratified, seeded coding samples of articles or sentences;
* :mod:`~newslens.validation.codebook` — variables, allowed values and definitions (from the frame YAML);
* :mod:`~newslens.validation.sheets` — XLSX/CSV coding sheets written for coders and read back;
* :mod:`~newslens.validation.agreement` — Krippendorff's α (with bootstrap), percent agreement, κ;
* :mod:`~newslens.validation.compare` — precision, recall, F1 of a measure against human codes;
* :mod:`~newslens.validation.measures` — each newslens measure as codes to compare;
* :mod:`~newslens.validation.calibrate` — frame presence rules fitted and scored out of sample.

>>> from newslens import validation
>>> round(validation.alpha([[1, 2, 3, 3], [1, 2, 3, 1]]), 3)
0.667
"""

from newslens.validation.agreement import (
    LEVELS,
    AlphaResult,
    agreement_table,
    alpha,
    alpha_ci,
    category_alpha,
    cohen_kappa,
    coincidences,
    expected_alpha,
    fleiss_kappa,
    percent_agreement,
    reliability_data,
    verdict,
)
from newslens.validation.calibrate import frame_agreement, rule_agreement, write_scheme
from newslens.validation.codebook import combine, frame_codebook, read_codebook, tone_codebook
from newslens.validation.compare import Comparison, compare, consensus, consensus_presence
from newslens.validation.measures import (
    MEASURES,
    Measure,
    actor_tone_labels,
    classifier_labels,
    cv_labels,
    frame_dominant,
    frame_presence,
    human_actor_tone,
    tone_class,
    vader_tone,
)
from newslens.validation.sampling import allocate, sample, units
from newslens.validation.sheets import Codes, Sheets, coding_sheet, read_coding, read_sample, write_sample

__all__ = [
    "LEVELS",
    "MEASURES",
    "AlphaResult",
    "Codes",
    "Comparison",
    "Measure",
    "Sheets",
    "actor_tone_labels",
    "agreement_table",
    "allocate",
    "alpha",
    "alpha_ci",
    "category_alpha",
    "classifier_labels",
    "coding_sheet",
    "cohen_kappa",
    "coincidences",
    "combine",
    "compare",
    "consensus",
    "consensus_presence",
    "cv_labels",
    "expected_alpha",
    "fleiss_kappa",
    "frame_agreement",
    "frame_codebook",
    "frame_dominant",
    "frame_presence",
    "human_actor_tone",
    "percent_agreement",
    "read_codebook",
    "read_coding",
    "read_sample",
    "reliability_data",
    "rule_agreement",
    "sample",
    "tone_class",
    "tone_codebook",
    "units",
    "vader_tone",
    "verdict",
    "write_sample",
    "write_scheme",
]
