"""Framing: deductive frames (dictionaries), a supervised frame classifier, inductive topics.

* :mod:`newslens.framing.frames` — frame schemes (generic news frames, policy frames, or your
  own dictionary) scored per article, per sentence and per indicator term;
* :mod:`newslens.framing.classifier` — train on a hand-coded sample, cross-validate, apply;
* :mod:`newslens.framing.topics` — NMF topic models.

>>> from newslens import framing
>>> framing.load_scheme("generic").frames[0]
'conflict'
"""

from newslens.framing.classifier import (
    Coding,
    CodingError,
    CVResult,
    TRUSTED_TYPES,
    FrameClassifier,
    ModelFileError,
    baseline_pipeline,
    classification_metrics,
    cv_folds,
    default_pipeline,
    evaluate,
    load_model,
    predict,
    predicted_prevalence,
    read_coding,
    train,
)
from newslens.framing.frames import (
    SCHEMES,
    FrameScheme,
    article_text,
    dominant_counts,
    frame_drivers,
    frame_examples,
    frame_prevalence,
    frame_scores,
    frame_sentences,
    frame_table,
    load_scheme,
    scheme_table,
    sentence_table,
    top_frames,
)
from newslens.framing.topics import (
    TopicModel,
    fit_topics,
    representative_articles,
    top_terms,
    topic_labels,
    topic_share_over_time,
    topic_terms,
)

__all__ = [
    "SCHEMES",
    "Coding",
    "CodingError",
    "CVResult",
    "FrameClassifier",
    "ModelFileError",
    "TRUSTED_TYPES",
    "FrameScheme",
    "TopicModel",
    "article_text",
    "baseline_pipeline",
    "classification_metrics",
    "cv_folds",
    "default_pipeline",
    "dominant_counts",
    "evaluate",
    "fit_topics",
    "frame_drivers",
    "frame_examples",
    "frame_prevalence",
    "frame_scores",
    "frame_sentences",
    "frame_table",
    "load_model",
    "load_scheme",
    "predict",
    "predicted_prevalence",
    "read_coding",
    "representative_articles",
    "scheme_table",
    "sentence_table",
    "top_frames",
    "top_terms",
    "topic_labels",
    "topic_share_over_time",
    "topic_terms",
    "train",
]
