"""The images a file's records reference, opened once each: the facts FT620 (image-file) checks.

Each image block of each valid record (``Example.media``: an image-caption record's image-ref,
a Converse image's ``source.s3Location.uri``) is opened through :mod:`ftlint.read.remote`, the one
place ftlint reads local and s3:// files, and its header read with Pillow (``Image.open`` reads
the header, not the pixels). A local path is relative to the JSONL file's folder. Built on first
use and kept on the Dataset (``dataset.memo``), so the rule never opens a file itself."""
from __future__ import annotations

import posixpath
from typing import NamedTuple

from ftlint.errors import ConfigError
from ftlint.read import remote

# Pillow's format names -> the lower-case names records and profiles use
_PIL_FORMATS = {"JPEG": "jpeg", "MPO": "jpeg", "PNG": "png", "GIF": "gif", "WEBP": "webp"}


class ImageFacts(NamedTuple):
    format: str  # "png", "jpeg", ... (Pillow's name, lower-cased, when not one of those)
    bytes: int
    width: int
    height: int


class ImageRef(NamedTuple):
    line: int
    where: str  # "image-ref" or "messages[0] image"
    uri: str
    declared: str | None  # the format the record gives (a Converse block's, or the extension)
    facts: ImageFacts | str  # the facts, or why the image cannot be read


def facts(dataset) -> list[ImageRef]:
    return dataset.memo("images", _build)


def _build(dataset) -> list[ImageRef]:
    try:
        from PIL import Image
    except ImportError:
        raise ConfigError("--check-images (FT620) needs Pillow: pip install 'ftlint[images]'") from None
    base = _folder(dataset.path)
    seen: dict[str, ImageFacts | str] = {}
    out = []
    for ex in dataset.examples:
        for m in ex.media:
            if m["kind"] != "image":
                continue
            body = m["block"]["image"]
            uri = body.get("source", {}).get("s3Location", {}).get("uri")
            if not isinstance(uri, str) or not uri:
                continue
            where = "image-ref" if ex.format == "image-caption" else f"messages[{m['turn']}] image"
            if uri not in seen:
                seen[uri] = _open(Image, _resolve(base, uri))
            # an image-caption record states its format only through the file's extension
            out.append(ImageRef(ex.line, where, uri, body.get("format") or None, seen[uri]))
    return out


def _folder(path: str) -> str:
    if remote.is_remote(path):
        return posixpath.dirname(path)
    import os

    return os.path.dirname(os.path.abspath(path)) if path not in ("-", "<records>") else os.getcwd()


def _resolve(base: str, uri: str) -> str:
    if remote.is_remote(uri):
        return uri
    if remote.is_remote(base):
        return posixpath.join(base, uri)
    import os

    return uri if os.path.isabs(uri) else os.path.join(base, uri)


def _open(Image, location: str) -> ImageFacts | str:
    try:
        size = remote.size(location)
        with remote.open_binary(location) as fh, Image.open(fh) as img:
            fmt = img.format or "unknown"
            return ImageFacts(_PIL_FORMATS.get(fmt, fmt.lower()), size, img.size[0], img.size[1])
    except FileNotFoundError:
        return "no such file"
    except ConfigError:
        raise
    except Image.UnidentifiedImageError:
        return "not an image file Pillow can read"
    except Exception as exc:  # noqa: BLE001 - Pillow and fsspec raise many kinds; the message says which
        name = type(exc).__name__
        return f"{name}: {exc}" if str(exc) else name


def limits_broken(f: ImageFacts, p, declared: str | None, fmt: str | None) -> list[str]:
    """Messages for the limits this image breaks; ``p`` is the target profile or None."""
    out = []
    if declared and declared != f.format:
        said = "its extension says" if fmt == "image-caption" else "the record says"
        out.append(f"is a {f.format} file but {said} {declared}: fix the reference or re-encode the image")
    allowed = None
    if p is not None:
        allowed = p.image_file_formats or p.image_formats or None
    elif fmt == "image-caption":
        allowed = ("jpeg", "png")
    if allowed and f.format not in allowed:
        who = f"{p.key} takes" if p is not None else "Bedrock image jobs take"
        out.append(f"is a {f.format} image; {who} {', '.join(allowed)}")
    if p is None:
        return out
    lo, hi = min(f.width, f.height), max(f.width, f.height)
    if p.image_max_bytes is not None and f.bytes > p.image_max_bytes:
        out.append(f"has {f.bytes:,} bytes; {p.key} takes at most {p.image_max_bytes:,}")
    if p.image_min_side is not None and lo < p.image_min_side:
        out.append(f"is {f.width}x{f.height} px; {p.key} needs at least {p.image_min_side:,} px a side")
    if p.image_max_side is not None and hi > p.image_max_side:
        out.append(f"is {f.width}x{f.height} px; {p.key} takes at most {p.image_max_side:,} px a side")
    if p.image_max_pixels is not None and f.width * f.height > p.image_max_pixels:
        out.append(f"has {f.width * f.height:,} pixels; {p.key} takes at most {p.image_max_pixels:,}")
    if p.image_max_aspect is not None and lo and hi / lo > p.image_max_aspect:
        out.append(f"has an aspect ratio of {hi / lo:.2f}:1; {p.key} takes at most {p.image_max_aspect:g}:1")
    return out
