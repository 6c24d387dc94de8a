'''FT618-FT620: image-caption records (Titan Image Generator, Nova Canvas, Titan Multimodal
Embeddings) and, for FT620, every image a record references. FT618 and FT619 read the record;
FT620 reads the images' facts (format, bytes, pixels) from the dataset's image artifact
(ftlint.artifacts.images), which opens each file through ftlint.read.remote: no rule opens a file.'''
from __future__ import annotations

import re
from collections.abc import Iterator

from ftlint.finding import Problem
from ftlint.rules.base import Option, rule

# the bucket names S3 allows (3-63 lower-case letters, digits, dots, hyphens) and a non-empty key
S3_URI = re.compile(r"^s3://[a-z0-9][a-z0-9.\-]{1,61}[a-z0-9]/\S+$")
# what every Bedrock image-caption job takes (JPEG or PNG), when no target narrows it
IMAGE_FORMATS = ("jpeg", "png")
_EXT = {"jpg": "jpeg", "jpeg": "jpeg", "png": "png", "gif": "gif", "webp": "webp"}


def extension_format(ref: str) -> str | None:
    name = ref.rsplit("/", 1)[-1]
    if "." not in name:
        return None
    ext = name.rsplit(".", 1)[-1].lower()
    return _EXT.get(ext, ext)


@rule("FT618", "image-ref", "error",
      "An image-ref that is not an s3://bucket/key URI, or names an image format the job does not take.",
      why="the job reads every image from S3 and rejects formats other than JPEG and PNG.",
      scope="record", batch=True, options={
          "allow-local": Option(False, "accept local paths (relative to the JSONL file) while the images are "
                                "still on disk, e.g. to run --check-images before the upload; the job itself "
                                "needs s3:// URIs"),
      })
def image_ref(records, options) -> Iterator[Problem]:
    """
    ## What it does
    For `image-caption` records: `image-ref` must be an `s3://bucket/key` URI (a valid bucket
    name, a key), and its extension a format the job takes: JPEG or PNG for Titan Image
    Generator, Nova Canvas and Titan Multimodal Embeddings. `allow-local = true` accepts local
    paths while the images are still on your disk (`--check-images` opens those).

    ## Why it matters
    The job fetches each image from S3 with the job's service role; an `https://` link, a local
    path or a `.webp` file fails the job when it reaches that record.

    ## Example
    ```jsonl bad
    {"image-ref": "https://example.com/cat.png", "caption": "an orange cat with white spots"}
    ```
    ```jsonl good
    {"image-ref": "s3://my-bucket/pets/cat.png", "caption": "an orange cat with white spots"}
    ```

    ## Fix
    Upload the images to the bucket of the dataset and write their `s3://` URIs; convert other
    formats to PNG or JPEG.
    """
    for record in records:
        if record.format != "image-caption":
            continue
        ref = record.obj["image-ref"]
        local = "://" not in ref
        if not S3_URI.match(ref) and not (local and options["allow-local"] and ref.strip()):
            hint = (" (a local path: upload the image, or set FT618.allow-local while checking before the upload)"
                    if local else "")
            yield Problem(record.line, f"image-ref {ref!r} is not an s3://bucket/key URI{hint}",
                          data={"uri": ref})
            continue
        allowed = (record.target.image_file_formats if record.target is not None and record.target.image_file_formats
                   else IMAGE_FORMATS)
        fmt = extension_format(ref)
        if fmt is not None and fmt not in allowed:
            who = f"{record.target.key} takes" if record.target is not None else "Bedrock image jobs take"
            yield Problem(record.line, f"image-ref {ref!r} is a {fmt} file; {who} {', '.join(allowed)}: "
                          "convert the image", data={"uri": ref, "format": fmt})


@rule("FT619", "caption-length", "error",
      "A caption shorter or longer than the target allows (in characters).",
      why="the job rejects a record whose caption is outside the target's character bounds.",
      scope="record", needs_target=True, batch=True)
def caption_length(records, options) -> Iterator[Problem]:
    """
    ## What it does
    With an image target, compares each caption's length in characters with the target's
    bounds: 3 to 1,024 for Titan Image Generator and Nova Canvas, at most 2,560 for Titan
    Multimodal Embeddings.

    ## Why it matters
    These are the documented text limits of the jobs: a longer caption is refused (or cut),
    and a two-letter caption teaches the image generator nothing.

    ## Example
    ```jsonl bad target=titan-image-generator-v2
    {"image-ref": "s3://my-bucket/pets/cat.png", "caption": "a"}
    ```
    ```jsonl good target=titan-image-generator-v2
    {"image-ref": "s3://my-bucket/pets/cat.png", "caption": "an orange cat with white spots"}
    ```

    ## Fix
    Describe the image in a sentence; shorten long captions to the subject, style and setting.
    """
    for record in records:
        p = record.target
        if record.format != "image-caption" or (p.caption_min_chars is None and p.caption_max_chars is None):
            continue
        n = len(record.obj["caption"])
        lo, hi = p.caption_min_chars, p.caption_max_chars
        if (lo is not None and n < lo) or (hi is not None and n > hi):
            bounds = f"{lo:,} to {hi:,}" if lo is not None and hi is not None else (
                f"at least {lo:,}" if lo is not None else f"at most {hi:,}")
            yield Problem(record.line, f"caption has {n:,} characters; {p.key} takes {bounds}",
                          data={"chars": n, "min": lo, "max": hi, "target": p.key})


@rule("FT620", "image-file", "error",
      "An image that cannot be read, or whose format, file size or dimensions the target does not take (--check-images).",
      why="the job rejects an image it cannot read or one outside the target's size and dimension limits.",
      scope="dataset", default=False)
def image_file(dataset, options) -> Iterator[Problem]:
    """
    ## What it does
    Opt-in (`ftlint check --check-images`, or `--extend-select FT620`): opens every image a
    record references (`image-ref`, and Converse image blocks' `source.s3Location.uri`), from S3
    or from a local path relative to the JSONL file, and reads its header with Pillow (no full
    decode). Reports an image that is missing or unreadable, whose real format differs from
    what the record says or is not one the target takes, and, with `--target`, one over the
    file-size limit, with a side under or over the pixel limits, over the total pixel count or
    with a more extreme aspect ratio (Titan Image Generator and Nova Canvas: JPEG or PNG, at
    most 50 MB, 512 to 4,096 px a side, 12,582,912 pixels, 1:4 to 4:1; Titan Multimodal
    Embeddings: 5 MB, 128 to 4,096 px). Needs `pip install 'ftlint[images]'` (and
    `'ftlint[s3]'` for s3:// images).

    ## Why it matters
    The job validates each image when it reaches it: a 600x5000 banner or a 70 MB scan fails
    the job after the upload and the queue.

    ## Example
    ```jsonl bad
    {"image-ref": "missing-image.png", "caption": "an orange cat with white spots"}
    ```
    ```jsonl good
    {"prompt": "A record without images has nothing to open.", "completion": "So nothing is reported."}
    ```

    ## Fix
    Resize (Pillow's `Image.thumbnail`) or crop the image into the limits, re-encode it as PNG
    or JPEG, and fix references to missing files.
    """
    from ftlint.artifacts import images

    for image in images.facts(dataset):
        where = f"{image.where} {image.uri!r}"
        if isinstance(image.facts, str):
            yield Problem(image.line, f"{where} cannot be read: {image.facts}", data={"uri": image.uri})
            continue
        f = image.facts
        for message in images.limits_broken(f, dataset.target, image.declared, dataset.format):
            yield Problem(image.line, f"{where} {message}", data={"uri": image.uri, "format": f.format,
                          "bytes": f.bytes, "width": f.width, "height": f.height})


RULES = (image_ref, caption_length, image_file)
