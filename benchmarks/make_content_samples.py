"""Write sample_data/product_qa_dirty.jsonl: the clean product Q&A set with planted content
problems for the FT4/FT5 rules (deterministic: no randomness, byte-identical on every run).

    python benchmarks/make_content_samples.py
"""
from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / "sample_data"

# (insert before clean record index, record, code, what) in file order
PLANTED = [
    (5, {"prompt": "N/A", "completion": "Larkspur is project-management software for teams."},
     "FT503", "prompt is the placeholder `N/A`"),
    (12, {"prompt": "How do I archive a project?", "completion": "Open the project, choose Settings > Archive and confirm; archived projects stay searchable for"},
     "FT405", "completion cut off mid-sentence"),
    (20, {"prompt": "When was the Gantt view announced?", "completion": "The Gantt view was announced on September 3, 2024 at the Larkspur user conference."},
     "FT501", "date written `September 3, 2024` where the file writes ISO dates"),
    (30, {"prompt": "Can I get help from a person?", "completion": "Yes, a human agent can help. " + "Please contact support. " * 6},
     "FT407", "completion repeats one sentence six times"),
    (40, {"prompt": "Here is our whole export, what is wrong with it? " + " ".join(f"row {i}: task,owner,due,status,blocked;" for i in range(120)),
          "completion": "Rows with a blank owner cannot be imported; fill in the owner column and try again."},
     "FT401", "a 4,700-character export pasted into the prompt (about 130x the median)"),
    (50, {"prompt": "Which markdown does the editor support?", "completion": "Headings, lists, links and code blocks:\n```\n# Title\n- item\n"},
     "FT405", "code fence left open"),
]


def main() -> None:
    clean = (ROOT / "product_qa.jsonl").read_text(encoding="utf-8").splitlines()
    out, table = [], []
    planted = {i: (rec, code, what) for i, rec, code, what in PLANTED}
    for i, line in enumerate(clean):
        if i in planted:
            rec, code, what = planted[i]
            out.append(json.dumps(rec, ensure_ascii=False))
            table.append((len(out), code, what))
        out.append(line)
    (ROOT / "product_qa_dirty.jsonl").write_text("\n".join(out) + "\n", encoding="utf-8")
    for line, code, what in table:
        print(f"| {line} | {code} | {what} |")


if __name__ == "__main__":
    main()
