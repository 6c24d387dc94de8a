"""The real-data regression corpus: finding counts per dataset, run, code and severity are pinned.

A rule change that moves a count here changed ftlint's precision or recall on real public data.
Look at what moved (``python -m tests.realdata.pin`` prints pinned -> today), say why in the
commit, and re-pin with ``python -m tests.realdata.pin --write``. The datasets and their sources
are in tests/realdata/datasets.toml and tests/realdata/SOURCES.md; the external ones (fetched
slices of public repositories, never committed) are skipped when absent."""
from __future__ import annotations

import pytest
from realdata import corpus

DATASETS = corpus.datasets()


def test_every_dataset_is_pinned_and_every_pin_is_a_dataset():
    names = {d.name for d in DATASETS}
    assert names == set(corpus.expected()), "run python -m tests.realdata.pin --write"


def test_committed_slices_are_there():
    # registry-sourced slices are part of the repository: they are never skipped
    for dataset in DATASETS:
        if dataset.where == "committed":
            assert dataset.root() == corpus.COMMITTED / dataset.dir, dataset.name
            assert (corpus.COMMITTED / dataset.dir / "LICENSE").is_file(), dataset.name


@pytest.mark.parametrize("dataset", DATASETS, ids=[d.name for d in DATASETS])
def test_finding_counts_match_the_pins(dataset):
    root = dataset.root()
    if root is None:
        pytest.skip(f"{dataset.name} is not here: put its folder {dataset.dir}/ ({', '.join(dataset.files)}) "
                    f"under {corpus.WHERE_TO_PUT}")
    pinned = corpus.expected().get(dataset.name, {})
    today = corpus.count(dataset, root)
    changed = corpus.differences(pinned, today)
    assert not changed, (
        f"{dataset.name}: finding counts moved (run, code, severity: pinned -> today):\n"
        + "\n".join(f"  {run} {code} {sev}: {a} -> {b}" for run, code, sev, a, b in changed)
        + "\nIf the change is intended, say why in the commit and run: python -m tests.realdata.pin --write")
