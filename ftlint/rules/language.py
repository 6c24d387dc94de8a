"""FT411 mixed-languages and FT412 language-mismatch: the language of every prompt and completion
(:mod:`ftlint.artifacts.language`), judged against the file's dominant language and against each
other."""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

from ftlint.artifacts.labels import labels_of
from ftlint.artifacts.language import MAX_CHARS, languages_of, name
from ftlint.finding import Problem
from ftlint.rules.base import Option, rule

MAX_RECORDS = Option(10_000, "larger files are judged on a seeded sample of this many records (0: every record; "
                     "about 0.5 s of CPU per 10,000 records, so that a default check of a large file stays fast)")
# a record the identifier puts in another language is still taken as the file's language when at
# least this share of its words are words the file's dominant-language records use ("what is the
# exact time in the ist time zone" is German to fastText at p=0.99, but every word is the file's)
MAX_DOMINANT_WORDS = 0.5
# characters that are rare in prose and common in code: a completion with many of them is code,
# whose "language" the identifier guesses at random
_CODE = frozenset("{}[]();=<>_#$\\/*+|&^%~`")


def looks_like_code(text: str) -> bool:
    sample = text[:400]
    return bool(sample) and sum(ch in _CODE for ch in sample) > 0.05 * len(sample)


_WORD = re.compile(r"[^\W\d_]{2,}")


def _vocabulary(dataset, langs) -> frozenset[str]:
    """Words that at least two records of the file's dominant language use (casefolded)."""
    def build(ds) -> frozenset[str]:
        seen: Counter[str] = Counter()
        dominant = langs.dominant
        for pos, lang in enumerate(langs.record):
            if lang == dominant:
                ex = ds.examples[int(langs.rows[pos])]
                seen.update(set(_WORD.findall((ex.prompt if langs.prompt[pos] else ex.completion)[:MAX_CHARS].casefold())))
        return frozenset(w for w, n in seen.items() if n >= 2)

    return dataset.memo(f"language-vocabulary:{len(langs.rows)}", build)


def dominant_words(text: str, vocabulary: frozenset[str]) -> float:
    """The share of the text's words that the file's dominant-language records use too."""
    words = _WORD.findall(text[:MAX_CHARS].casefold())
    return sum(w in vocabulary for w in words) / len(words) if words else 0.0


def _sample_note(langs) -> str:
    if not langs.sampled:
        return ""
    return f"; languages identified on a seeded sample of {len(langs.rows):,} of {langs.total:,} records"


@rule("FT411", "mixed-languages", "warning", "A record in a language that only a small share of the file is in.",
      why="a stray language is usually a merge or scraping accident, but can be intended: a person decides.",
      scope="dataset", options={
          "max-share": Option(0.1, "a language with at least this share of the judged records is intended, not a minority"),
          "min-records": Option(10, "files with fewer records whose language could be judged are not judged"),
          "max-records": MAX_RECORDS,
      })
def mixed_languages(dataset, options) -> Iterator[Problem]:
    """
    ## What it does
    Identifies the language of every prompt (else of the completion) with fastText's language
    identification model, skipping texts under five words (too little evidence; "Report stolen
    card" is left undetermined rather than guessed) and guesses under 50% probability. The file's
    dominant language is the most common one; each record in another language that fewer than
    `max-share` of the records are in is reported with its language and probability, unless a
    file's words say otherwise: a record whose words are mostly words the file's
    dominant-language records use is taken as the file's language ("what is the exact time in the
    ist time zone" is German to the model, at p=0.99). Classification data is not judged (a
    classifier's inputs may be multilingual on purpose, and its labels carry no language).
    `ftlint stats` shows the file's whole language mix, for every file.

    ## Why it matters
    A fine-tuned model copies the language of its data: a few hundred German records in an
    English support set teach it to answer some English customers in German, and records in a
    language nobody on the team reads go unreviewed. They are usually an accident of a merge or
    a scrape. A language with a real share of the file (10% by default) is taken as intended.

    ## Example
    ```jsonl bad
    {"prompt": "Where can I see the status of my order?", "completion": "Open Orders in your account; each order shows its status."}
    {"prompt": "How do I change the delivery address of my order?", "completion": "Open the order and choose Change address before it ships."}
    {"prompt": "Can I pay for my order with a gift card?", "completion": "Yes, enter the gift card code at checkout."}
    {"prompt": "Why was my payment declined at checkout today?", "completion": "Your bank declined it; try another card or call your bank."}
    {"prompt": "How long does standard delivery take to Canada?", "completion": "Five to eight business days after dispatch."}
    {"prompt": "Is it possible to return an item after thirty days?", "completion": "Returns are accepted for thirty days only."}
    {"prompt": "Do you offer a discount for students or teachers?", "completion": "Yes, ten percent with a verified school email."}
    {"prompt": "How can I delete my account and all of my data?", "completion": "Go to Settings, Privacy, and choose Delete account."}
    {"prompt": "What should I do if my parcel arrived damaged?", "completion": "Send us a photo within seven days and we will replace it."}
    {"prompt": "Can I add another item to an order I already placed?", "completion": "No, but you can place a second order with free shipping."}
    {"prompt": "Wie kann ich die Lieferadresse meiner Bestellung ändern?", "completion": "Öffnen Sie die Bestellung und wählen Sie Adresse ändern."}
    ```
    ```jsonl good
    {"prompt": "Where can I see the status of my order?", "completion": "Open Orders in your account; each order shows its status."}
    {"prompt": "How do I change the delivery address of my order?", "completion": "Open the order and choose Change address before it ships."}
    {"prompt": "Can I pay for my order with a gift card?", "completion": "Yes, enter the gift card code at checkout."}
    {"prompt": "Why was my payment declined at checkout today?", "completion": "Your bank declined it; try another card or call your bank."}
    {"prompt": "How long does standard delivery take to Canada?", "completion": "Five to eight business days after dispatch."}
    {"prompt": "Is it possible to return an item after thirty days?", "completion": "Returns are accepted for thirty days only."}
    {"prompt": "Do you offer a discount for students or teachers?", "completion": "Yes, ten percent with a verified school email."}
    {"prompt": "How can I delete my account and all of my data?", "completion": "Go to Settings, Privacy, and choose Delete account."}
    {"prompt": "What should I do if my parcel arrived damaged?", "completion": "Send us a photo within seven days and we will replace it."}
    {"prompt": "Can I add another item to an order I already placed?", "completion": "No, but you can place a second order with free shipping."}
    {"prompt": "How can I change the delivery address of my order?", "completion": "Open the order and choose Change address."}
    ```

    ## Fix
    Translate the records into the file's language, move them to a file of their own (one per
    language, if you train a multilingual model on purpose), or drop them. Raise `max-share` if
    your data is multilingual by design with small languages.
    """
    if labels_of(dataset) is not None:
        return  # a classifier's inputs may be multilingual on purpose; the label carries no language
    langs = languages_of(dataset, options["max-records"])
    if langs is None or langs.judged < options["min-records"]:
        return
    dominant = langs.dominant
    shares = langs.shares()
    note = _sample_note(langs)
    for pos, lang in enumerate(langs.record):
        if lang is None or lang == dominant or shares[lang] >= options["max-share"]:
            continue
        ex = dataset.examples[int(langs.rows[pos])]
        guess = langs.prompt[pos] or langs.completion[pos]
        text = ex.prompt if langs.prompt[pos] else ex.completion
        if looks_like_code(text) or dominant_words(text, _vocabulary(dataset, langs)) >= MAX_DOMINANT_WORDS:
            continue
        yield Problem(ex.line,
                      f"record is in {name(lang)} (p={guess[1]:.2f}) but {shares[dominant]:.1%} of the file is in "
                      f"{name(dominant)}; {shares[lang]:.1%} of it is in {name(lang)}{note}: translate the record, "
                      "move it to its own file, or drop it",
                      data={"language": lang, "probability": round(guess[1], 4), "dominant": dominant,
                            "share": round(shares[lang], 4), "dominant_share": round(shares[dominant], 4)})


@rule("FT412", "language-mismatch", "warning", "A prompt and its answer in different languages.",
      why="an answer in another language than its question is usually a data error, but translation tasks do it on purpose.",
      scope="dataset", options={
          "max-share": Option(0.2, "when more than this share of the records mismatch, it is by design (a translation "
                              "set) and nothing is reported"),
          "min-probability": Option(0.6, "both texts' languages must be identified at least this surely"),
          "max-records": MAX_RECORDS,
      })
def language_mismatch(dataset, options) -> Iterator[Problem]:
    """
    ## What it does
    Compares the language of each record's prompt with its completion's (both identified as for
    FT411, both at least five words, both at least `min-probability` sure) and reports the
    records where they differ. Skipped: classification data (a label has no language), code
    completions, prompts that ask for a translation or name the answer's language, and files in
    which more than `max-share` of the records mismatch (a translation data set).

    ## Why it matters
    The model learns to answer in the language of its completions: an English question answered
    in Spanish teaches it to switch languages at random. Such records come from a wrong join of
    two sources, or from a generator that answered in its own default language.

    ## Example
    ```jsonl bad
    {"prompt": "How do I change the delivery address of my order?", "completion": "Open the order and choose Change address before it ships."}
    {"prompt": "Can I pay for my order with a gift card at checkout?", "completion": "Yes, enter the gift card code on the payment page."}
    {"prompt": "Why was my payment declined at checkout today?", "completion": "Su banco rechazó el pago; pruebe con otra tarjeta o llame a su banco."}
    {"prompt": "How long does standard delivery take to Canada?", "completion": "Five to eight business days after the parcel is dispatched."}
    {"prompt": "Is it possible to return an item after thirty days?", "completion": "Returns are accepted for thirty days after delivery only."}
    {"prompt": "Do you offer a discount for students or teachers?", "completion": "Yes, ten percent off with a verified school email address."}
    ```
    ```jsonl good
    {"prompt": "How do I change the delivery address of my order?", "completion": "Open the order and choose Change address before it ships."}
    {"prompt": "Can I pay for my order with a gift card at checkout?", "completion": "Yes, enter the gift card code on the payment page."}
    {"prompt": "Why was my payment declined at checkout today?", "completion": "Your bank declined the payment; try another card or call your bank."}
    {"prompt": "How long does standard delivery take to Canada?", "completion": "Five to eight business days after the parcel is dispatched."}
    {"prompt": "Translate into Spanish: your bank declined the payment, please try another card.", "completion": "Su banco rechazó el pago; pruebe con otra tarjeta, por favor."}
    {"prompt": "Do you offer a discount for students or teachers?", "completion": "Yes, ten percent off with a verified school email address."}
    ```

    ## Fix
    Rewrite the answer in the prompt's language (or the prompt in the answer's), or drop the
    record. If the task is translation, say so in the prompt ("Translate into ...").
    """
    if labels_of(dataset) is not None:
        return
    langs = languages_of(dataset, options["max-records"])
    if langs is None:
        return
    sure = options["min-probability"]
    pairs = 0
    found: list[tuple[int, tuple[str, float], tuple[str, float]]] = []
    for pos, (p, c) in enumerate(zip(langs.prompt, langs.completion, strict=True)):
        if p is None or c is None:
            continue
        ex = dataset.examples[int(langs.rows[pos])]
        if looks_like_code(ex.completion):
            continue
        pairs += 1
        if p[0] != c[0] and p[1] >= sure and c[1] >= sure and not _asks_for(ex.prompt, c[0]):
            # the text in the file's dominant language must not be made of that language's words
            other = ex.completion if p[0] == langs.dominant else ex.prompt if c[0] == langs.dominant else None
            if other is None or dominant_words(other, _vocabulary(dataset, langs)) < MAX_DOMINANT_WORDS:
                found.append((ex.line, p, c))
    if not found or len(found) > options["max-share"] * pairs:
        return
    note = _sample_note(langs)
    for line, p, c in found:
        yield Problem(line, f"the prompt is in {name(p[0])} (p={p[1]:.2f}) but the completion is in {name(c[0])} "
                      f"(p={c[1]:.2f}){note}: answer in the prompt's language, or say in the prompt that a "
                      "translation is wanted",
                      data={"prompt_language": p[0], "completion_language": c[0],
                            "prompt_probability": round(p[1], 4), "completion_probability": round(c[1], 4)})


def _asks_for(prompt: str, lang: str) -> bool:
    """Whether the prompt asks for a translation or names the answer's language."""
    from ftlint.artifacts.language import NAMES

    low = prompt.casefold()
    return "translat" in low or (lang in NAMES and NAMES[lang].casefold() in low)


RULES = (mixed_languages, language_mismatch)
