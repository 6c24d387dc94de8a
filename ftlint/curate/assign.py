"""The assignment of record groups to train / validation / test: seeded, stratified by label, never
splitting a group (see ftlint.curate.split)."""
from __future__ import annotations

from collections import Counter

import numpy as np

TRAIN, VALIDATION, TEST = 0, 1, 2


def assign(group_ids: list[int], labels: list[str | None] | None, v_size: int, t_size: int,
           seed: int) -> np.ndarray:
    """0/1/2 (train/validation/test) per record. Whole groups only; see the module doc."""
    n = len(group_ids)
    sides = np.zeros(n, dtype=np.int8)
    if n == 0 or (v_size <= 0 and t_size <= 0):
        return sides
    members: dict[int, list[int]] = {}
    for i, g in enumerate(group_ids):
        members.setdefault(g, []).append(i)
    groups = list(members.values())  # in order of each group's first line
    labs = labels if labels is not None else [None] * n
    glabels = [Counter(labs[i] for i in m) for m in groups]
    totals: Counter = Counter(labs)
    groups_per_label: Counter = Counter(lab for c in glabels for lab in c)
    order = np.random.default_rng(seed).permutation(len(groups)).tolist()
    gside = [TRAIN] * len(groups)
    in_train = Counter(groups_per_label)  # groups of each label still in train
    for side, size in ((VALIDATION, v_size), (TEST, t_size)):
        if size <= 0:
            continue
        taken: Counter = Counter()
        count = 0
        quota = {lab: int(size * c / n + 0.5) for lab, c in totals.items()}

        def put(gi: int, side: int = side, taken: Counter = taken) -> None:
            nonlocal count
            gside[gi] = side
            count += len(groups[gi])
            taken.update(glabels[gi])
            in_train.subtract(glabels[gi].keys())

        if side == VALIDATION and labels is not None:
            # every label with 2+ examples in 2+ groups gets one (small) group in validation,
            # rarest labels first, while train keeps at least one group of it
            best: dict = {}
            for gi in order:
                for lab in glabels[gi]:
                    if lab not in best or len(groups[gi]) < len(groups[best[lab]]):
                        best[lab] = gi
            for lab in sorted(best, key=lambda x: (totals[x], str(x))):
                if totals[lab] < 2 or groups_per_label[lab] < 2 or taken[lab] or count >= size:
                    continue
                pick = best[lab]
                if gside[pick] == TRAIN and count + len(groups[pick]) <= size and _train_keeps(glabels[pick], in_train):
                    put(pick)
        for gi in order:  # stratified fill: each label up to its share
            if count >= size:
                break
            if gside[gi] != TRAIN or count + len(groups[gi]) > size:
                continue
            if all(taken[lab] + k <= quota[lab] for lab, k in glabels[gi].items()) and _train_keeps(glabels[gi], in_train):
                put(gi)
        for gi in order:  # rounding left room: fill it with whatever fits
            if count >= size:
                break
            if gside[gi] == TRAIN and count + len(groups[gi]) <= size and _train_keeps(glabels[gi], in_train):
                put(gi)
    for gi, side in enumerate(gside):
        if side != TRAIN:
            sides[groups[gi]] = side
    return sides


def _train_keeps(glabels: Counter, in_train: Counter) -> bool:
    """Whether moving a group out of train still leaves each of its labels a group in train:
    a label the model never trains on is worse than one missing from a held-out set."""
    return all(in_train[lab] >= 2 for lab in glabels)


def labels_missing(labels: list, sides: np.ndarray) -> list[str]:
    """Labels with 2+ examples that validation lacks (only when there is a validation set)."""
    if not (sides == VALIDATION).any():
        return []
    seen_val = {labels[i] for i in np.flatnonzero(sides == VALIDATION)}
    return sorted(str(lab) for lab, c in Counter(labels).items() if c >= 2 and lab not in seen_val)
