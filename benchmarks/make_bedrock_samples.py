"""Write the Bedrock-job sample files of sample_data/ (RFT, distillation, invocation logs, tool
use, image-caption): `python benchmarks/make_bedrock_samples.py`. Deterministic (random.Random(11)),
byte-identical on every run; the images need Pillow (pip install 'ftlint[images]'). Edit this
generator, not the files. See sample_data/README.md for what each file is for."""
from __future__ import annotations

import json
import random
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "sample_data"
SCHEMA = "bedrock-conversation-2024"


def write(name: str, rows: list[dict]) -> None:
    path = OUT / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")


# ---------------------------------------------------------------- RFT: word problems with answers

ITEMS = ["notebooks", "train tickets", "bags of coffee beans", "solar panels", "bicycle tyres", "museum passes",
         "garden chairs", "printer cartridges", "violin strings", "climbing ropes", "boxes of tea", "paint cans",
         "concert seats", "seed packets", "wool blankets", "lab goggles", "chess sets", "ferry passes"]
PEOPLE = ["Amara", "Bruno", "Chen", "Dalia", "Emeka", "Farah", "Gustav", "Hana", "Ilse", "Joao", "Kenji", "Leila",
          "Mateo", "Nadia", "Oskar", "Priya", "Quentin", "Rosa"]
PLACES = ["a school fair", "the harbour market", "an online shop", "the village hall", "a trade show",
          "the train station kiosk", "a hardware store", "the campus bookshop"]
SYSTEMS = ["Solve the problem. End with the final answer on its own line.",
           "Work step by step, then give the final answer on the last line.",
           "You are a careful arithmetic tutor. Show the key steps and the result."]


def rft_rows(rng: random.Random) -> list[dict]:
    rows = []
    for i in range(120):
        who, item, place = rng.choice(PEOPLE), rng.choice(ITEMS), rng.choice(PLACES)
        kind = i % 4
        if kind == 0:
            n, price = rng.randint(3, 40), rng.randint(2, 90)
            q = rng.choice([f"At {place}, {who} buys {n} {item} for {price} euros apiece. What is the bill?",
                            f"{n} {item} cost {price} euros each at {place}. How much do they cost together?",
                            f"{who} orders {n} {item}; each is priced at {price} euros. Total cost?"])
            ref: object = {"answer": n * price, "unit": "euros"}
        elif kind == 1:
            a, b = rng.randint(20, 400), rng.randint(2, 19)
            q = rng.choice([f"{a * b} {item} are shared equally among {b} crates. How many go in each crate?",
                            f"{who} splits {a * b} {item} into {b} equal batches for {place}. Size of one batch?",
                            f"If {b} shelves hold {a * b} {item} in total, evenly, how many sit on one shelf?"])
            ref = str(a)
        elif kind == 2:
            start, pct = rng.randint(50, 900), rng.choice([10, 20, 25, 40, 50])
            q = rng.choice([f"{item.capitalize()} at {place} cost {start} dollars, then the price goes up {pct}%. New price?",
                            f"{who} paid {start} dollars for {item} last year; this year they are {pct} percent dearer. "
                            "What do they cost now?",
                            f"A {pct}% surcharge is added to a {start} dollar order of {item}. What is the final amount?"])
            ref = {"answer": start * (100 + pct) / 100, "unit": "dollars", "tolerance": 0.01}
        else:
            x, c = rng.randint(2, 60), rng.randint(1, 99)
            q = rng.choice([f"{who} thinks of a number, triples it and adds {c}, reaching {3 * x + c}. What was the number?",
                            f"Solve for x: 3x + {c} = {3 * x + c}.",
                            f"Three times the number of {item} plus {c} equals {3 * x + c}. How many {item} are there?"])
            ref = {"solution": x, "steps": [f"3x + {c} = {3 * x + c}", f"3x = {3 * x}", f"x = {x}"]}
        row = {"id": f"rft-{i:03d}",
               "messages": [{"role": "system", "content": SYSTEMS[i % len(SYSTEMS)]}, {"role": "user", "content": q}],
               "reference_answer": ref}
        if i % 10 == 7:
            row["tools"] = [{"type": "function", "function": {
                "name": "calculator", "description": "Evaluate an arithmetic expression such as 12 * 7 + 3",
                "parameters": {"type": "object", "properties": {"expression": {"type": "string"}},
                               "required": ["expression"]}}}]
        rows.append(row)
    return rows


# ---------------------------------------------------------------- distillation prompts (Nova student)

TOPICS = ["invoice", "password", "CSV export", "calendar sync", "two-factor login", "webhook", "seat count",
          "data retention", "SAML single sign-on", "time tracking", "Gantt view", "guest access", "API token",
          "recurring task", "custom field", "audit log", "budget report", "holiday calendar"]
OPENERS = ["", "Quick question: ", "Hi, ", "Our admin asks: ", "Since yesterday, ", "Before our audit, "]
ASKS = ["how do I change the {t} settings for the {w} workspace?",
        "why does the {t} page show an error for the {w} team?",
        "can an admin limit {t} to the {w} group only?",
        "where is the {t} history for our {w} client kept?",
        "what happens to {t} when the {w} plan is downgraded?",
        "is there a way to turn off {t} for the {w} project?",
        "who can see the {t} details of {w}?",
        "does {t} work on the mobile app for {w}?"]
WORKSPACES = ["Northwind", "Bluebird", "Orchard", "Harbor", "Summit", "Maple", "Quarry", "Lantern", "Cedar",
              "Atlas", "Beacon", "Willow", "Granite", "Juniper", "Falcon"]


def _ask(rng: random.Random) -> str:
    text = rng.choice(OPENERS) + rng.choice(ASKS).format(t=rng.choice(TOPICS), w=rng.choice(WORKSPACES))
    return text[0].upper() + text[1:]


def distill_rows(rng: random.Random) -> list[dict]:
    seen: set[str] = set()
    rows = []
    while len(rows) < 120:
        q = _ask(rng)
        if q in seen:
            continue
        seen.add(q)
        rows.append({"schemaVersion": SCHEMA,
                     "system": [{"text": "You are Larkspur's in-app help assistant. Answer in at most three sentences."}],
                     "messages": [{"role": "user", "content": [{"text": q}]}]})
    return rows


STEPS = ["Open Settings, choose {t} and pick the option you need; the change applies at once.",
         "Only workspace admins can do this: go to Admin > {t} and save.",
         "That page needs the Business plan; on other plans {t} is read-only.",
         "Check that your browser allows pop-ups, then reload the {t} page.",
         "Yes. In Admin > Permissions, restrict {t} to the groups you choose.",
         "The history is under Reports > {t}, kept for 24 months."]


def log_rows(rng: random.Random) -> list[dict]:
    rows, seen = [], set()
    while len(rows) < 110:
        i = len(rows)
        q = _ask(rng)
        if q in seen:
            continue
        seen.add(q)
        a = rng.choice(STEPS).format(t=rng.choice(TOPICS))
        rows.append({"schemaType": "ModelInvocationLog", "schemaVersion": "1.0",
                     "timestamp": f"2026-11-{1 + i % 28:02d}T{8 + i % 10:02d}:{(i * 13) % 60:02d}:00Z",
                     "accountId": "123456789012", "identity": {"arn": "arn:aws:sts::123456789012:assumed-role/HelpApp/app"},
                     "region": "us-east-1", "requestId": f"5f1c{i:04x}-0000-4000-8000-{rng.getrandbits(48):012x}",
                     "operation": "Converse", "modelId": "amazon.nova-pro-v1:0",
                     "input": {"inputContentType": "application/json", "inputTokenCount": 20 + i % 15,
                               "inputBodyJson": {"messages": [{"role": "user", "content": [{"text": q}]}],
                                                 "inferenceConfig": {"maxTokens": 300}}},
                     "output": {"outputContentType": "application/json", "outputTokenCount": 25 + i % 9,
                                "outputBodyJson": {"output": {"message": {"role": "assistant", "content": [{"text": a}]}},
                                                   "stopReason": "end_turn"}},
                     "requestMetadata": {"project": "help-center"}})
    return rows


# ---------------------------------------------------------------- Nova tool use

CITIES = ["Lisbon", "Nairobi", "Osaka", "Quito", "Tallinn", "Hobart", "Accra", "Bergen", "Cusco", "Dakar",
          "Valparaiso", "Tbilisi", "Hanoi", "Reykjavik", "Windhoek", "Kraków", "Montevideo", "Chiang Mai", "Halifax",
          "Marrakesh"]
WEATHER_ASKS = ["Do I need an umbrella in {c} today?", "What is it like outside in {c} right now?",
                "Should I pack a coat for {c} this afternoon?", "Is it beach weather in {c}?",
                "How warm is it in {c} at the moment?"]
ORDER_ASKS = ["Where is my order {o}?", "Has parcel {o} left the warehouse yet?", "When will order number {o} arrive?",
              "Can you check the delivery status of {o}?", "My package {o} is late; what is going on?"]


def tool_rows(rng: random.Random) -> list[dict]:
    weather = {"toolSpec": {"name": "get_weather", "description": "Current weather for a city: sky and temperature in C",
                            "inputSchema": {"json": {"type": "object", "properties": {"city": {"type": "string"},
                                                                                       "unit": {"enum": ["C", "F"]}},
                                                     "required": ["city"]}}}}
    orders = {"toolSpec": {"name": "order_status", "description": "Shipping status of an order by its number",
                           "inputSchema": {"json": {"type": "object", "properties": {"order": {"type": "integer"}},
                                                    "required": ["order"]}}}}
    rows = []
    for i in range(40):
        if i % 2 == 0:
            city = CITIES[i // 2]
            sky, temp = rng.choice(["sunny", "cloudy", "rainy", "windy", "foggy", "snowy"]), rng.randint(-5, 34)
            ask, call, name = rng.choice(WEATHER_ASKS).format(c=city), {"city": city}, "get_weather"
            result = {"sky": sky, "celsius": temp}
            answer = rng.choice([f"{city} is {sky} at {temp} C right now.", f"Expect {sky} skies and {temp} C in {city}.",
                                 f"Right now {city} reports {temp} degrees and {sky} weather."])
        else:
            order, days = rng.randint(40000, 99999), rng.randint(1, 6)
            ask, call, name = rng.choice(ORDER_ASKS).format(o=order), {"order": order}, "order_status"
            status = rng.choice(["shipped", "out for delivery", "at the sorting centre"])
            result = {"status": status, "eta_days": days}
            answer = rng.choice([f"Order {order} is {status}; allow {days} more days.",
                                 f"Good news: {order} is {status} and due within {days} days.",
                                 f"The carrier lists {order} as {status}, arriving in about {days} days."])
        tid = f"tooluse-{i:03d}"
        rows.append({"schemaVersion": SCHEMA, "system": [{"text": "Use the tools for live data; answer in one sentence."}],
                     "toolConfig": {"tools": [weather, orders]},
                     "messages": [{"role": "user", "content": [{"text": ask}]},
                                  {"role": "assistant", "content": [{"toolUse": {"toolUseId": tid, "name": name, "input": call}}]},
                                  {"role": "user", "content": [{"toolResult": {"toolUseId": tid, "content": [{"json": result}],
                                                                               "status": "success"}}]},
                                  {"role": "assistant", "content": [{"text": answer}]}]})
    return rows


# ---------------------------------------------------------------- image-caption

SUBJECTS = ["a red ceramic mug on an oak desk", "a folded blue rain jacket", "a brass desk lamp at dusk",
            "a pair of white running shoes", "a green glass vase with tulips", "a leather notebook with a pen",
            "a stack of three linen napkins", "a copper kettle on a gas stove", "a wool scarf in grey and yellow",
            "a wicker basket of lemons", "a black backpack on a bench", "a porcelain teapot with a bamboo handle"]
COLOURS = [(190, 40, 40), (40, 70, 160), (181, 140, 60), (235, 235, 230), (60, 140, 90), (110, 70, 40),
           (220, 210, 190), (184, 115, 51), (150, 150, 150), (230, 210, 60), (30, 30, 30), (245, 245, 250)]
LABELS = ["Cardiomegaly", "Effusion", "Atelectasis", "No Finding", "Nodule", "Pneumothorax", "Infiltration",
          "Mass", "Consolidation", "Edema"]


def image_rows() -> tuple[list[dict], list[dict]]:
    # the local file sits in sample_data/images/: its references are relative to it
    local = [{"image-ref": f"product-{i:02d}.png", "caption": f"studio photo of {s}, soft daylight"}
             for i, s in enumerate(SUBJECTS)]
    s3 = [{"image-ref": f"s3://larkspur-training-data/products/product-{i:02d}.png", "caption": r["caption"]}
          for i, r in enumerate(local)]
    return local, s3


def embedding_rows() -> list[dict]:
    # label captions repeat by design (what Titan Multimodal Embeddings is tuned on)
    return [{"image-ref": f"s3://larkspur-training-data/xray/{i:05d}.png",
             "caption": " ".join(sorted({LABELS[i % 10], LABELS[(i * 7 + i // 10) % 10]}))} for i in range(1000)]


def images() -> None:
    from PIL import Image, ImageDraw

    folder = OUT / "images"
    folder.mkdir(parents=True, exist_ok=True)
    for i, colour in enumerate(COLOURS):
        size = (640, 512) if i % 3 else (512, 512)
        img = Image.new("RGB", size, colour)
        ImageDraw.Draw(img).rectangle([size[0] // 4, size[1] // 4, size[0] * 3 // 4, size[1] * 3 // 4],
                                      fill=tuple(255 - c for c in colour))
        img.save(folder / f"product-{i:02d}.png", optimize=True)


def main() -> None:
    rng = random.Random(11)
    write("math_rft.jsonl", rft_rows(rng))
    write("distill_prompts_nova.jsonl", distill_rows(rng))
    write("invocation_logs.jsonl", log_rows(rng))
    write("tool_use_nova.jsonl", tool_rows(rng))
    local, s3 = image_rows()
    write("images/captions.jsonl", local)
    write("product_images.jsonl", s3)
    write("xray_embeddings.jsonl", embedding_rows())
    images()


if __name__ == "__main__":
    main()
