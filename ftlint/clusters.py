"""Duplicate clusters for a pipeline step or the splitter: the groups FT201 and FT202 report,
as line numbers, so that a split can keep every cluster on one side."""
from __future__ import annotations

from dataclasses import dataclass

from ftlint.artifacts import minhash as mh
from ftlint.artifacts.shared_template import template_of


@dataclass(frozen=True)
class DuplicateCluster:
    lines: tuple[int, ...]  # 1-based line numbers, sorted
    representative: int  # the first line, the one FT201/FT202 point at
    exact: bool  # every member is the same text after normalization (an FT201 group)


def clusters_of(dataset, *, threshold: float = 0.8, fields: str = "conversation", num_perm: int = 128,
                char_ngram: int = 3, word_ngram: int = 3, ignore_template: bool = True) -> list[DuplicateCluster]:
    """Clusters of one checked Dataset (``report.datasets[i]``), sharing the rules' artifact
    (compared, as FT202 compares them, without the file's shared template unless ``ignore_template`` is off)."""
    params = mh.Params(fields=fields, threshold=threshold, num_perm=num_perm, char_n=char_ngram, word_n=word_ngram,
                       template=template_of(dataset) if ignore_template else None)
    index = mh.index_for(dataset, params)
    exact = {tuple(g) for g in index.exact}
    out = []
    for members in index.clusters():
        lines = tuple(int(index.lines[i]) for i in members)
        out.append(DuplicateCluster(lines, lines[0], tuple(members) in exact))
    return out


def duplicate_clusters(paths_or_records, *, threshold: float = 0.8, fields: str = "conversation",
                       dataset_format: str | None = None, **params) -> dict[str, list[DuplicateCluster]]:
    """Exact and near-duplicate clusters of each file (or of a list of record dicts, under
    ``"<records>"``), keyed by path. Records in no cluster are not listed."""
    from ftlint.api import check

    opts = {"threshold": threshold, "fields": fields, **{k.replace("_", "-"): v for k, v in params.items()}}
    report = check(paths_or_records, select=["FT202"], dataset_format=dataset_format, options={"FT202": opts})
    kw = {k.replace("-", "_"): v for k, v in params.items()}
    return {ds.path: clusters_of(ds, threshold=threshold, fields=fields, **kw) for ds in report.datasets}
