"""Planted files for the FT5 (consistency) Spark tests: each holds findings of the rules it is
made for, spread over several Spark partitions (the test session cuts files into 16 KB), with
ties that only the first-seen order breaks (the order the local rules count in) put across
partitions."""
from __future__ import annotations

import json
import random

from spark_planted import LABELS, _sentence

NAMES = ("Anna Berlin Ben Oslo Chloe Lyon Dev Pune Emil Graz Fatima Cairo Goran Split Hana Kyoto Ivan Riga "
         "Jonas Turku").split()


def json_output_lines(seed: int = 13, records: int = 320) -> list[bytes]:
    """Prompt-completion records whose completions are JSON objects from one template: dates in
    other formats (FT501), completions that are not JSON or whose objects lack a key, have an
    unusual one or another value type (FT502), placeholder prompts (FT503), prompts off the
    template (FT504), unfilled slots (FT505) and answers written into the prompt (FT507)."""
    rng = random.Random(seed)
    rows = []
    for _ in range(records):
        name, city = rng.choice(NAMES), rng.choice(NAMES)
        age = rng.randint(18, 90)
        joined = f"20{rng.randint(10, 24)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        out = {"name": name, "age": age, "city": city, "joined": joined, "note": _sentence(rng, 3)}
        rows.append([f"Question: Extract the person from: {name}, {age}, {city}. {_sentence(rng, 6)}\n\nAnswer:", out])
    # FT501: written and slash dates (one undecided slash date, merged into the day-first one)
    for i, date in ((15, "March 5, 2024"), (140, "5 March 2024"), (170, "25/03/2024"), (171, "03/04/2024"),
                    (290, "March 19, 2024")):
        rows[i][1]["joined"] = date
    rows[200][1]["joined"] = "2024-01-02 or 7 May 2023"  # two formats in one completion
    # FT502: missing, unusual and mistyped keys
    del rows[50][1]["city"]
    rows[60][1]["email"] = "x@example.com"
    rows[70][1]["age"] = str(rows[70][1]["age"])
    rows[275][1]["age"] = None  # null is accepted anywhere
    # FT505: unfilled slots in a completion and in a prompt
    rows[90][1]["note"] = "Dear {customer_name}, welcome"
    rows[230][1]["note"] = "Signed {customer_name}"
    rows[231][0] = rows[231][0].replace("Extract", "Extract for [Your Name]")
    lines = [[p, json.dumps(o)] for p, o in rows]
    # FT502: completions that are not JSON; the one of 250 also quoted in its prompt (FT507)
    lines[25][1] = "Name: Emil, age 25, city Graz"
    lines[250][1] = "The person is Jonas from Turku, aged 44 years"
    lines[250][0] = f"Question: Extract the person: {lines[250][1]}\n\nAnswer:"
    lines[299][1] = "[]"
    # FT504: another prefix and separator
    for i in (33, 180, 310):
        lines[i][0] = "Q: " + lines[i][0][len("Question: "):].replace("\n\nAnswer:", "\nA:")
    # FT503: placeholder prompts
    lines[120][0], lines[260][0], lines[261][0] = "N/A", "none", "N/A"
    # FT507: the answer after a cue
    lines[45][0] = lines[45][0].replace("\n\nAnswer:", f" The answer is {lines[45][1]}\n\nAnswer:")
    return [json.dumps({"prompt": p, "completion": c}).encode() for p, c in lines]


SUPPORT = "You are Acme's support assistant. Answer briefly and politely, and never promise refunds."
BILLING = "You are Acme's billing assistant. Quote the invoice number in every answer you give."


def chat_label_lines(seed: int = 17, records: int = 260) -> list[bytes]:
    """Classification chats (the assistant answers with a label): system prompts that are small
    edits of the dominant ones (FT506), labels in the prompt (FT507, label mode), a label spelt
    two ways, first user turns off the template (FT504), placeholders (FT503) and a slot (FT505)."""
    rng = random.Random(seed)
    rows = []
    for i in range(records):
        system = BILLING if i % 6 == 1 else SUPPORT
        rows.append([system, f"Ticket: {_sentence(rng, 10)}", rng.choice(LABELS)])
    for i in (5, 99, 240):  # typos of the dominant prompts, the first far from the others
        rows[i][0] = SUPPORT.replace("support", "suport")
    rows[130][0] = BILLING.replace("assistant", "asistant")
    rows[131][0] = "You are a pirate. Speak like one."  # a different prompt, not an edit
    rows[132][0] = None
    rows[133][0] = "   "
    rows[30][1] = "Ticket: charged twice this month, intent: billing"
    rows[30][2] = "billing"
    rows[210][1] = "Ticket: technical_issue with the login page"
    rows[210][2] = "technical_issue"
    rows[211][1] = "Ticket: is this billing, shipping or technical_issue? login fails"  # options: not a leak
    rows[211][2] = "technical_issue"
    rows[80][2] = rows[160][2] = "Shipping"  # a spelling variant of shipping
    for i in (44, 190):
        rows[i][1] = "Issue: " + rows[i][1][len("Ticket: "):]
    rows[100][1], rows[220][1] = "N/A", "-"
    rows[150][1] = "Ticket: Dear {customer_name}, my parcel is late"
    out = []
    for system, user, label in rows:
        msgs = ([{"role": "system", "content": system}] if system is not None else []) + [
            {"role": "user", "content": user}, {"role": "assistant", "content": label}]
        out.append(json.dumps({"messages": msgs}).encode())
    return out


CODE = ("def add(a, b):\n    return a + b", "for i in range(10):\n    print(i)",
        "import os\nprint(os.getcwd())", "x = [n * n for n in range(5)]\nprint(x)")


def instruction_lines(seed: int = 19, records: int = 300) -> list[bytes]:
    """A code dataset of instruction records (a third of the outputs are code): placeholder inputs
    spelt many ways with equal counts (FT503: the listed six are the first seen), a date-format
    tie that the first dated completion breaks (FT501), slots that are code syntax (not judged in
    a code file) and one that is not (FT505)."""
    rng = random.Random(seed)
    rows = []
    for i in range(records):
        output = rng.choice(CODE) if i % 3 == 0 else _sentence(rng, 12)
        rows.append({"instruction": f"Write: {_sentence(rng, 8)}", "input": _sentence(rng, 5), "output": output})
    spellings = ("none", "N/A", "<no input>", "TBD", "null", "...", "?", "n/a")
    for k, i in enumerate((20, 70, 110, 150, 170, 190, 210, 230, 250, 260, 270, 280, 290, 295, 297, 299)):
        rows[i]["input"] = spellings[k % len(spellings)]
    rows[71]["input"] = rows[151]["input"] = "-"  # two more: '-' and 'N/A' tie at 3, '-' seen later
    rows[296]["input"] = "N/A"
    # dates: dotted first seen (line 101), then as many ISO ones: dotted is the dominant one
    for i, date in ((100, "05.03.2024"), (125, "2024-03-05"), (240, "12.11.2023"), (265, "2023-11-12")):
        rows[i]["output"] = f"The release is on {date}, {_sentence(rng, 4)}"
    rows[5]["output"] = "Use {name} in the greeting, and TODO: check it"  # code syntax in a code file
    rows[8]["output"] = "Send it to [insert recipient here] today"
    rows[258]["output"] = "Sign it [Your Name] please"
    return [json.dumps(r).encode() for r in rows]
