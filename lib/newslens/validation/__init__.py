"""Validation: coding samples and sheets, coder agreement, machine against human, calibration.

* :mod:`~newslens.validation.sampling` — stratified, seeded coding samples of articles or sentences;
* :mod:`~newslens.validation.codebook` — variables, allowed values and definitions (from the frame YAML);
* :mod:`~newslens.validation.sheets` — XLSX/CSV coding sheets written for coders and read back;
* :mod:`~newslens.validation.agreement` — Krippendorff's α (with bootstrap), percent agreement, κ;
* :mod:`~newslens.validation.compare` — precision, recall, F1 of a measure against human codes;
* :mod:`~newslens.validation.measures` — each newslens measure as codes to compare;
* :mod:`~newslens.validation.calibrate` — frame presence rules fitted and scored out of sample;
* :mod:`~newslens.validation.checks` — every measure against the coders' majority, with verdicts;
* :mod:`~newslens.validation.examples` — the units to read where coders or machine part (article text);
* :mod:`~newslens.validation.workflow` — the commands of a coding round.

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
    category_table,
    coder_pairs,
    cohen_kappa,
    coincidences,
    expected_alpha,
    fleiss_kappa,
    percent_agreement,
    reliability_data,
    verdict,
)
from newslens.validation.calibrate import cv_presence, frame_agreement, rule_agreement, write_scheme
from newslens.validation.checks import (
    CHECKS,
    MeasureCheck,
    calibration_table,
    check_measures,
    coded_frames,
    frame_coding,
    machine_agreement,
    scores_table,
    unit_kind,
    verdict_table,
)
from newslens.validation.codebook import combine, frame_codebook, quoted_codebook, tone_codebook
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
    quoted_speakers,
    tone_class,
    vader_tone,
)
from newslens.validation.examples import TEXT_COLUMNS, coder_disagreements, machine_disagreements, unit_texts
from newslens.validation.sampling import SENTENCE_UNIT, allocate, article_id, sample, units
from newslens.validation.sheets import (
    Codes,
    Sheets,
    coding_sheet,
    read_codebook,
    read_coding,
    read_sample,
    write_sample,
)
from newslens.validation.workflow import SHEET_VARIABLES, commands, sheet_variables

__all__ = [
    "AlphaResult",
    "CHECKS",
    "Codes",
    "Comparison",
    "LEVELS",
    "MEASURES",
    "Measure",
    "MeasureCheck",
    "SENTENCE_UNIT",
    "SHEET_VARIABLES",
    "Sheets",
    "TEXT_COLUMNS",
    "actor_tone_labels",
    "agreement_table",
    "allocate",
    "alpha",
    "alpha_ci",
    "article_id",
    "calibration_table",
    "category_alpha",
    "category_table",
    "check_measures",
    "classifier_labels",
    "coded_frames",
    "coder_disagreements",
    "coder_pairs",
    "coding_sheet",
    "cohen_kappa",
    "coincidences",
    "combine",
    "commands",
    "compare",
    "consensus",
    "consensus_presence",
    "cv_labels",
    "cv_presence",
    "expected_alpha",
    "fleiss_kappa",
    "frame_agreement",
    "frame_codebook",
    "frame_coding",
    "frame_dominant",
    "frame_presence",
    "human_actor_tone",
    "quoted_speakers",
    "machine_agreement",
    "machine_disagreements",
    "percent_agreement",
    "read_codebook",
    "read_coding",
    "read_sample",
    "reliability_data",
    "rule_agreement",
    "sample",
    "scores_table",
    "sheet_variables",
    "tone_class",
    "tone_codebook",
    "quoted_codebook",
    "unit_kind",
    "unit_texts",
    "units",
    "vader_tone",
    "verdict",
    "verdict_table",
    "write_sample",
    "write_scheme",
]
