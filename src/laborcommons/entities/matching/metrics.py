"""Quality of a clustering against the truth: pairwise precision/recall/F1 and B-cubed F1."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class Quality:
    precision: float
    recall: float
    f1: float
    bcubed_f1: float


def _pairs(sizes: pd.Series) -> int:
    return int((sizes * (sizes - 1) // 2).sum())


def _f1(precision: float, recall: float) -> float:
    return 0.0 if precision + recall == 0 else 2 * precision * recall / (precision + recall)


def quality(predicted: pd.Series, truth: pd.Series) -> Quality:
    """Both series give, per record (same index), a cluster label; labels are opaque."""
    frame = pd.DataFrame({"p": predicted.to_numpy(), "t": truth.to_numpy()})
    both = _pairs(frame.groupby(["p", "t"]).size())
    predicted_pairs = _pairs(frame.groupby("p").size())
    true_pairs = _pairs(frame.groupby("t").size())
    precision = both / predicted_pairs if predicted_pairs else 1.0
    recall = both / true_pairs if true_pairs else 1.0
    joint = frame.groupby(["p", "t"])["p"].transform("size")
    p_size = frame.groupby("p")["p"].transform("size")
    t_size = frame.groupby("t")["t"].transform("size")
    b_precision = float((joint / p_size).mean()) if len(frame) else 1.0
    b_recall = float((joint / t_size).mean()) if len(frame) else 1.0
    return Quality(precision, recall, _f1(precision, recall), _f1(b_precision, b_recall))
