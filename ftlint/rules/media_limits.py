"""FT606, FT607, FT608: the image, video, document and reasoning blocks of bedrock-conversation
records against what the target takes; part of the FT6 family (ftlint.rules.limits holds its
RULES)."""
from __future__ import annotations

import re
from collections.abc import Iterator

from ftlint.finding import Problem
from ftlint.rules.base import rule
from ftlint.rules.target_words import who

_S3_URI = re.compile(r"^s3://[a-z0-9][a-z0-9.\-]{1,61}[a-z0-9]/[^\s]+$")


@rule("FT606", "media-content", "error",
      "An image, video or document block the target does not take, or in the wrong place or form.",
      why="the job rejects media the target does not take or in the wrong place.",
      scope="record", needs_target=True)
def media_content(record, options) -> Iterator[Problem]:
    """
    ## What it does
    For bedrock-conversation records: media only where the target takes it (none for Nova Micro
    or distillation, images only for the Llama 3.2 vision models), only in user turns, video in a
    format the target accepts (Nova: mov, mkv, mp4, webm), at most 10 images per message and one
    video per sample, and each `source.s3Location.uri` a well-formed `s3://bucket/key`.

    ## Why it matters
    Nova and Llama jobs reject these records ("images and video only in user turns"); a bad URI
    fails when the job fetches the object, late.

    ## Example
    ```jsonl bad target=nova-lite
    {"schemaVersion": "bedrock-conversation-2024", "messages": [{"role": "user", "content": [{"text": "What is this?"}]}, {"role": "assistant", "content": [{"image": {"format": "png", "source": {"s3Location": {"uri": "s3://my-bucket/a.png"}}}}]}]}
    ```
    ```jsonl good target=nova-lite
    {"schemaVersion": "bedrock-conversation-2024", "messages": [{"role": "user", "content": [{"text": "What is this?"}, {"image": {"format": "png", "source": {"s3Location": {"uri": "s3://my-bucket/a.png"}}}}]}, {"role": "assistant", "content": [{"text": "A receipt."}]}]}
    ```

    ## Fix
    Move the media into the user turn it belongs to, keep one video per record, split messages
    with more than 10 images, fix the URI, or choose a target that takes the medium.
    """
    p = record.target
    ex = record.example
    if ex.format != "bedrock-conversation" or not ex.media:
        return
    allowed = {"image": p.images, "video": p.videos, "document": p.documents}
    images: dict[int, int] = {}
    videos = 0
    for m in ex.media:
        kind, turn, block = m["kind"], m["turn"], m["block"]
        if kind in ("reasoningContent", "toolUse", "toolResult"):
            continue  # FT607 and the tool-use rules (FT615-FT617)
        where = f"messages[{turn}]"
        if not allowed.get(kind, False):
            yield Problem(record.line, f"{where} has a {kind} block but {who(p)} takes no {kind}s; remove it",
                          data={"kind": kind, "turn": turn})
            continue
        if m["role"] != "user":
            yield Problem(record.line, f"{where} is a {m['role']} turn with a {kind} block; media may only "
                          "appear in user turns", data={"kind": kind, "turn": turn})
        body = block[kind]
        if kind == "video" and p.video_formats and body.get("format") not in p.video_formats:
            yield Problem(record.line, f"{where} has a video in format {body.get('format')!r}; {p.key} takes "
                          f"{', '.join(p.video_formats)}", data={"kind": kind, "turn": turn})
        if kind == "image" and p.image_formats and body.get("format") not in p.image_formats:
            yield Problem(record.line, f"{where} has an image in format {body.get('format')!r}; {p.key} takes "
                          f"{', '.join(p.image_formats)}", data={"kind": kind, "turn": turn})
        uri = body.get("source", {}).get("s3Location", {}).get("uri", "")
        if not _S3_URI.match(uri):
            yield Problem(record.line, f"{where} {kind} uri {uri!r} is not an s3://bucket/key address",
                          data={"kind": kind, "turn": turn, "uri": uri})
        if kind == "image":
            images[turn] = images.get(turn, 0) + 1
        elif kind == "video":
            videos += 1
    for turn, n in images.items():
        if p.max_images_per_message and n > p.max_images_per_message:
            yield Problem(record.line, f"messages[{turn}] has {n} images; {p.key} takes at most "
                          f"{p.max_images_per_message} per message: split the message",
                          data={"images": n, "turn": turn})
    if p.max_videos_per_sample and videos > p.max_videos_per_sample:
        yield Problem(record.line, f"the record has {videos} videos; {p.key} takes at most "
                      f"{p.max_videos_per_sample} per sample: split it", data={"videos": videos})


@rule("FT607", "reasoning-content", "error",
      "A reasoningContent block where the target takes none (only Nova 2 Lite, only assistant turns).",
      why="the job rejects reasoning blocks the target does not take.",
      scope="record", needs_target=True)
def reasoning_content(record, options) -> Iterator[Problem]:
    """
    ## What it does
    Reports `reasoningContent` blocks for targets that do not train on reasoning (every target
    but Nova 2 Lite) and, for Nova 2 Lite, reasoning outside assistant turns.

    ## Why it matters
    The job rejects the record; a reasoning trace in a user turn is also a sign of a bad export.

    ## Example
    ```jsonl bad target=nova-lite
    {"schemaVersion": "bedrock-conversation-2024", "messages": [{"role": "user", "content": [{"text": "2+2?"}]}, {"role": "assistant", "content": [{"reasoningContent": {"reasoningText": {"text": "Add them."}}}, {"text": "4"}]}]}
    ```
    ```jsonl good target=nova-2-lite
    {"schemaVersion": "bedrock-conversation-2024", "messages": [{"role": "user", "content": [{"text": "2+2?"}]}, {"role": "assistant", "content": [{"reasoningContent": {"reasoningText": {"text": "Add them."}}}, {"text": "4"}]}]}
    ```

    ## Fix
    Drop the reasoning blocks (`ftlint convert` to another format drops them with
    `--allow-lossy`), or target Nova 2 Lite.
    """
    p = record.target
    for m in record.example.media:
        if m["kind"] != "reasoningContent":
            continue
        where = f"messages[{m['turn']}]"
        if not p.reasoning:
            yield Problem(record.line, f"{where} has a reasoningContent block but {who(p)} does not train on "
                          "reasoning; remove it", data={"turn": m["turn"]})
        elif m["role"] != "assistant":
            yield Problem(record.line, f"{where} is a {m['role']} turn with a reasoningContent block; reasoning "
                          "belongs in assistant turns only", data={"turn": m["turn"]})


@rule("FT608", "mixed-media", "error", "Images and video in one dataset, which the target does not allow.",
      why="the job rejects a dataset that mixes images and video.",
      scope="dataset", needs_target=True)
def mixed_media(dataset, options) -> Iterator[Problem]:
    """
    ## What it does
    Reports a dataset that holds image blocks in some records and video blocks in others (or
    both in one), naming the first record of each.

    ## Why it matters
    Nova jobs take text with images or text with video, never both in one dataset.

    ## Example
    ```jsonl bad target=nova-lite
    {"schemaVersion": "bedrock-conversation-2024", "messages": [{"role": "user", "content": [{"text": "What is this?"}, {"image": {"format": "png", "source": {"s3Location": {"uri": "s3://my-bucket/a.png"}}}}]}, {"role": "assistant", "content": [{"text": "A receipt."}]}]}
    {"schemaVersion": "bedrock-conversation-2024", "messages": [{"role": "user", "content": [{"text": "What happens?"}, {"video": {"format": "mp4", "source": {"s3Location": {"uri": "s3://my-bucket/a.mp4"}}}}]}, {"role": "assistant", "content": [{"text": "A demo."}]}]}
    ```
    ```jsonl good target=nova-lite
    {"schemaVersion": "bedrock-conversation-2024", "messages": [{"role": "user", "content": [{"text": "What is this?"}, {"image": {"format": "png", "source": {"s3Location": {"uri": "s3://my-bucket/a.png"}}}}]}, {"role": "assistant", "content": [{"text": "A receipt."}]}]}
    ```

    ## Fix
    Split the data into an image dataset and a video dataset, and train separate jobs (or drop one
    medium).
    """
    p = dataset.target
    if p.mixed_media:
        return
    first: dict[str, int] = {}
    for ex in dataset.examples:
        for m in ex.media:
            if m["kind"] in ("image", "video"):
                first.setdefault(m["kind"], ex.line)
        if len(first) == 2:
            break
    if len(first) == 2:
        yield Problem(None, f"the dataset has images (first on line {first['image']}) and video (first on line "
                      f"{first['video']}); {p.key} takes one medium per dataset: split it",
                      related=tuple(sorted(first.values())), data={"target": p.key})
