"""The benchmark workload: seeded chat and instruction records of realistic length and content,
for `bench_check.py` (and anyone who needs "a realistic file of N records"). Not used by tests.

    python benchmarks/workload.py OUT.jsonl --records 200000 [--format openai-chat|instruction]

Lengths are matched to the real-data corpus (/work/realdata, tests/realdata; characters of the
user side / of the answer, median and 90th percentile):

| corpus | prompt median / p90 | answer median / p90 |
|---|---|---|
| clinc150, banking77 (classification) | 38-47 / 60-110 | 12-20 (a label) |
| codealpaca (instruction + input) | 84 / 137 | 134 / 430 |
| gsm8k (worked answers) | 220 / 365 | 260 / 480 |
| chatterbot (chit-chat) | 26 / 49 | 52 / 92 |
| uber10k, nova-tooluse (long context) | 4,000-6,400 | 82-1,900 |

Every record is one of four kinds, drawn per record (lognormal lengths, so each has a tail):

- chat (40%): a support conversation, one of five system prompts; one exchange, or 2-3 in 20% of
  them; user turn median ~110 characters, assistant ~280.
- instruction (35%): an instruction (median ~90), an input in half of them (median ~150), an
  answer median ~330 with a p90 near 1,000; 15% of answers hold a fenced code block.
- classification (20%): a short request (median ~50) answered by one of 40 labels.
- long context (5%): a passage of median ~2,500 characters and a question, answer median ~400.

Overall about 845 bytes per record in openai-chat as written (with its JSON keys and system prompts), i.e. 0.85 GB at 1M.
Words follow a Zipf law over 300 common English words, 150 domain words and 20k rarer made-up
words (realistic shingle and TF-IDF statistics: a 150-word vocabulary would make every record a
near-duplicate of another). Flaws at realistic low rates, so that every family has work and
findings: 2% exact copies (case/space changes), 2% near copies (1-3 words changed), conflicting
labels (0.1%), e-mail addresses and phone numbers (0.3% each), truncated answers (0.5%),
two date styles (1%), empty answers (0.05%, errors that `split --drop-invalid` rejects).

The same seed gives the same bytes (Python's `random` is stable across versions for the calls
used here); GENERATOR_VERSION names the file in caches, so a change here invalidates them."""
from __future__ import annotations

import argparse
import json
import math
import os
import random
from itertools import accumulate

GENERATOR_VERSION = 1
FORMATS = ("openai-chat", "instruction")

COMMON = """the of and to a in is you that it for on with as are be this was have or by not at
from but can your we an they will all if which one has their more when there so what about up out
them do no time some would could into other than then now only its like also how our after any
first these two new use may way well because very just over where most such make need here get
see each many much before should through while help set find work right long still want back
take same under last both between every account order number file team page data user change
again without used please thanks hello sorry sure yes days week month year price cost total plan
support customer issue problem error message email phone address name date today tomorrow open
close start stop send sent receive received check update add remove create delete save load run
build test result value list item group report system service model task project step point part
example question answer reason case fact idea word line text table field key type size level
rate share amount money card payment refund invoice billing charge fee tax store shop product
price delivery shipping package return policy hours minutes seconds morning evening night
server client request response code function method class object string array loop return
variable input output print import module package version release install config setting
option default feature support bug fix patch merge branch commit review deploy cloud region
access login password token session cookie browser mobile desktop app window screen button
menu click select enter press type scroll drag drop upload download share link copy paste""".split()

DOMAIN = """larkspur workspace dashboard sprint backlog milestone gantt kanban webhook integration
slack jira github calendar reminder notification subscription renewal trial discount coupon
annual monthly seat license quota storage attachment export import sync offline timezone currency
admin permission role guest member invite onboarding tutorial template board column label filter
sort search archive restore trash comment mention thread reply draft schedule recurring priority
deadline assignee reviewer approval workflow automation trigger condition action webhook endpoint
payload header status latency timeout retry throughput cache queue worker cluster node replica
shard index schema query transaction rollback migration backup snapshot encryption certificate
firewall gateway proxy bucket object lambda function container image registry pipeline artifact
compile runtime exception traceback stack heap pointer integer float boolean dictionary tuple
apples oranges marbles cookies tickets pages miles hours dollars cents percent students teachers
farmers baker garden market""".split()

LABELS = tuple(f"{a}_{b}" for a in ("billing", "account", "order", "technical", "shipping", "product",
                                      "feedback", "security") for b in ("question", "issue", "request",
                                                                         "change", "cancel"))
SYSTEMS = (
    "You are Larkspur's support assistant. Larkspur is project-management software for teams. Answer "
    "briefly and accurately, name the exact menu path when a setting is involved, and offer a hand-over "
    "to a human agent when you cannot resolve something.",
    "You are a helpful assistant.",
    "You are a friendly customer service agent for an online store. Be concise and polite.",
    "You are an expert software engineer. Explain your reasoning and give working code when asked.",
    "You are a tutor for grade-school math. Solve the problem step by step and give the final answer.",
)
MADE_UP_SYLLABLES = ("ka", "lo", "mi", "ra", "ten", "dor", "sa", "vi", "ne", "po", "lu", "ge", "tra", "ber",
                     "ston", "qui", "an", "el", "or", "us", "ing", "ed", "er", "al", "mon", "ti", "va")


class Words:
    """A Zipf vocabulary: common words first, then domain words, then made-up rare words."""

    def __init__(self, rng: random.Random, rare: int = 20_000):
        made_up = sorted({"".join(rng.choice(MADE_UP_SYLLABLES) for _ in range(rng.randint(2, 4)))
                          for _ in range(rare * 2)})
        rng.shuffle(made_up)
        seen: set[str] = set()
        self.words = [w for w in COMMON + DOMAIN + made_up[:rare] if not (w in seen or seen.add(w))]
        self.cum = list(accumulate(1.0 / (r + 2) ** 1.2 for r in range(len(self.words))))

    def sentence(self, rng: random.Random, n: int) -> str:
        ws = rng.choices(self.words, cum_weights=self.cum, k=max(1, n))
        if n > 8 and rng.random() < 0.3:
            ws[rng.randrange(2, n - 2)] += ","
        if rng.random() < 0.15:  # numbers, as in worked answers and order requests
            ws.insert(rng.randrange(len(ws) + 1), rng.choice((str(rng.randint(2, 999)), f"${rng.randint(5, 500)}",
                                                             f"{rng.randint(1, 99)}%", str(rng.randint(1000, 99999)))))
        return " ".join(ws).capitalize() + rng.choice("..........?!")

    def text(self, rng: random.Random, chars: int) -> str:
        """Sentences of 5-24 words up to about ``chars`` characters (at least one sentence)."""
        out: list[str] = []
        size = 0
        while size < chars or not out:
            # a sentence of 5-24 words, shorter when it would overshoot the length by much
            s = self.sentence(rng, min(rng.randint(5, 24), max(3, (chars - size) // 6)))
            out.append(s)
            size += len(s) + 1
        return " ".join(out)


def _length(rng: random.Random, median: float, sigma: float, cap: int) -> int:
    return min(cap, max(8, int(rng.lognormvariate(math.log(median), sigma))))


def _code(rng: random.Random, words: Words) -> str:
    lines = [f"def {rng.choice(words.words[:600]).strip(',')}_{i}(x):" if i == 0 else
             f"    {rng.choice(('total', 'result', 'value', 'count'))} = x * {rng.randint(2, 99)} + {rng.randint(0, 9)}"
             for i in range(rng.randint(3, 15))]
    return "```python\n" + "\n".join(lines) + "\n    return x\n```"


def _conversation(rng: random.Random, words: Words, i: int) -> tuple[str | None, list[tuple[str, str]]]:
    """(system prompt or None, [(user, assistant), ...]) of one record."""
    kind = rng.random()
    if kind < 0.40:  # support chat
        system = SYSTEMS[rng.randrange(3)]
        turns = [(words.text(rng, _length(rng, 110, 0.7, 1500)), words.text(rng, _length(rng, 280, 0.7, 3000)))
                 for _ in range(1 if rng.random() < 0.8 else rng.randint(2, 3))]
        return system, turns
    if kind < 0.75:  # instruction, with an input half of the time
        prompt = words.text(rng, _length(rng, 90, 0.6, 800))
        if rng.random() < 0.5:
            prompt += "\n\n" + words.text(rng, _length(rng, 150, 0.8, 2000))
        answer = words.text(rng, _length(rng, 330, 0.9, 5000))
        if rng.random() < 0.15:
            answer += "\n\n" + _code(rng, words)
        return (SYSTEMS[3 + rng.randrange(2)] if rng.random() < 0.3 else None), [(prompt, answer)]
    if kind < 0.96:  # classification
        return None, [(words.text(rng, _length(rng, 50, 0.5, 300)), LABELS[rng.randrange(len(LABELS))])]
    context = words.text(rng, _length(rng, 2000, 0.6, 12000))  # long context
    question = words.text(rng, _length(rng, 80, 0.5, 400))
    return SYSTEMS[1], [(f"<context>\n{context}\n</context>\n\n{question}", words.text(rng, _length(rng, 400, 0.8, 4000)))]


def _flaw(rng: random.Random, words: Words, system: str | None, turns: list[tuple[str, str]], i: int):
    r = rng.random()
    user, answer = turns[-1]
    if r < 0.003:
        user += f" You can reach me at {rng.choice(words.words[300:900]).strip(',')}.{i}@example.com."
    elif r < 0.006:
        user += f" Call me on +1 415 555 {rng.randint(1000, 9999)}."
    elif r < 0.011 and len(answer) > 40:
        answer = answer[:int(len(answer) * rng.uniform(0.4, 0.9))].rstrip(" .?!") + " and"
    elif r < 0.021:
        d = rng.randint(1, 28)
        answer += rng.choice((f" It renews on 2025-03-{d:02d}.", f" It renews on 03/{d:02d}/2025."))
    elif r < 0.0215:
        answer = ""
    turns[-1] = (user, answer)
    return system, turns


def _near(rng: random.Random, words: Words, text: str) -> str:
    toks = text.split(" ")
    for _ in range(rng.randint(1, 3)):
        toks[rng.randrange(len(toks))] = rng.choice(words.words[:2000])
    return " ".join(toks)


def encode(fmt: str, system: str | None, turns: list[tuple[str, str]]) -> dict:
    if fmt == "openai-chat":
        msgs = [{"role": "system", "content": system}] if system else []
        for user, answer in turns:
            msgs += [{"role": "user", "content": user}, {"role": "assistant", "content": answer}]
        return {"messages": msgs}
    if fmt == "instruction":  # alpaca style: the first exchange; a blank line splits off the input
        instruction, _, extra = turns[0][0].partition("\n\n")
        # no "input" key rather than "" when there is none (Alpaca writes ""; today that is an FT105
        # error on half the records, a separate question: issue 17)
        rec = {"instruction": instruction, "input": extra, "output": turns[0][1]}
        if not extra:
            del rec["input"]
        return rec
    raise ValueError(f"unknown format {fmt!r}; known: {', '.join(FORMATS)}")


def generate(n: int, fmt: str = "openai-chat", seed: int = 1):
    """Yield ``n`` records (dicts) of the workload."""
    rng = random.Random(seed)
    words = Words(random.Random(seed + 1))
    kept: list[tuple[str | None, list[tuple[str, str]]]] = []
    for i in range(n):
        r = rng.random()
        if kept and r < 0.02:  # exact copy after normalization: case and spacing changed
            system, turns = kept[rng.randrange(len(kept))]
            turns = [("  " + u.upper(), a) if k == 0 else (u, a) for k, (u, a) in enumerate(turns)]
        elif kept and r < 0.04:  # near copy
            system, turns = kept[rng.randrange(len(kept))]
            turns = [(_near(rng, words, u), a) if k == len(turns) - 1 else (u, a) for k, (u, a) in enumerate(turns)]
        elif kept and r < 0.041:  # the same request with another label or answer: a conflict
            system, turns = kept[rng.randrange(len(kept))]
            u, a = turns[-1]
            turns = [*turns[:-1], (u, LABELS[(LABELS.index(a) + 1) % len(LABELS)] if a in LABELS
                                   else words.text(rng, len(a)))]
        else:
            system, turns = _flaw(rng, words, *_conversation(rng, words, i), i)
            if len(kept) < 20_000:
                kept.append((system, turns))
        yield encode(fmt, system, turns)


def write(path: str, n: int, fmt: str = "openai-chat", seed: int = 1) -> None:
    """Write the workload to ``path`` atomically (an interrupted run leaves no partial file)."""
    tmp = f"{path}.part{os.getpid()}"
    with open(tmp, "w", encoding="utf-8") as fh:
        for rec in generate(n, fmt, seed):
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    os.replace(tmp, path)


def cached(folder: str, n: int, fmt: str = "openai-chat", seed: int = 1) -> str:
    """The path of the workload file in ``folder``, generated on first use."""
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, f"workload-v{GENERATOR_VERSION}-{fmt}-{n}-s{seed}.jsonl")
    if not os.path.exists(path):
        write(path, n, fmt, seed)
    return path


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("path")
    ap.add_argument("--records", type=int, default=100_000)
    ap.add_argument("--format", default="openai-chat", choices=FORMATS)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    write(a.path, a.records, a.format, a.seed)
