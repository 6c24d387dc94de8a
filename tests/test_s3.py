"""s3:// everywhere (ftlint.read.remote), against a real S3 API: a moto server that the test starts on
127.0.0.1, reached through AWS_ENDPOINT_URL with dummy credentials. Never the internet."""
from __future__ import annotations

import json
import os
import socket

import pytest
from click.testing import CliRunner
from conftest import SAMPLES

pytest.importorskip("s3fs")
moto_server = pytest.importorskip("moto.moto_server.threaded_moto_server")

from ftlint.atomic import atomic_write_bytes  # noqa: E402
from ftlint.cli import main  # noqa: E402
from ftlint.read import remote  # noqa: E402

BUCKET = "ftlint-test-data"
ROLE = "arn:aws:iam::123456789012:role/BedrockCustomization"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def endpoint():
    port = _free_port()
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def s3(endpoint, monkeypatch, tmp_path):
    """The moto endpoint, credentials that only moto accepts, and an empty bucket."""
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL_S3"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ENDPOINT_URL", endpoint)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-aws-credentials"))
    monkeypatch.chdir(tmp_path)  # so that a stray local "s3:" folder would show
    fs = remote._fs()
    if fs.exists(BUCKET):
        fs.rm(BUCKET, recursive=True)
    fs.mkdir(BUCKET)
    fs.invalidate_cache()
    return fs


def put(fs, key: str, local) -> str:
    fs.put_file(str(local), f"{BUCKET}/{key}")
    return f"s3://{BUCKET}/{key}"


def read(fs, key: str) -> bytes:
    fs.invalidate_cache()
    return fs.cat_file(f"{BUCKET}/{key}")


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_check_stats_and_report_read_s3(s3, tmp_path):
    uri = put(s3, "data/tickets_dirty.jsonl", SAMPLES / "support_tickets_dirty.jsonl")
    r = run("check", uri, "--format", "json")
    assert r.exit_code == 1
    report = json.loads(r.output)
    local = json.loads(run("check", SAMPLES / "support_tickets_dirty.jsonl", "--format", "json").output)
    # the same findings as for the local copy, each naming the s3:// object
    assert report["summary"] == local["summary"] and report["files"][0]["path"] == uri
    assert all(f["path"] == uri for f in report["findings"])
    stats = json.loads(run("stats", uri, "--format", "json").output)
    assert stats["files"][0]["records"] == local["files"][0]["records"]
    r = run("report", uri, "-o", f"s3://{BUCKET}/reports/tickets.html")
    assert r.exit_code == 0, r.output
    assert read(s3, "reports/tickets.html").startswith(b"<!DOCTYPE html>")
    r = run("check", f"s3://{BUCKET}/data/nothing-here.jsonl")
    assert r.exit_code == 2 and "no such object" in r.output
    assert not os.path.exists("s3:")


def test_split_to_s3_with_job_json_and_read_back(s3):
    uri = put(s3, "in/chat.jsonl", SAMPLES / "support_chat_nova.jsonl")
    out = f"s3://{BUCKET}/split/chat/"
    put(s3, "split/chat/test.jsonl", SAMPLES / "product_qa.jsonl")  # stale output of an earlier run
    r = run("split", uri, "--out", out, "--target", "nova-lite", "--job-name", "chat-1", "--role-arn", ROLE,
            "--print-command")
    assert r.exit_code == 0, r.output
    manifest = json.loads(read(s3, "split/chat/manifest.json"))
    assert manifest["input"]["path"] == uri and manifest["records"]["train.jsonl"] == 118
    for name, info in manifest["outputs"].items():
        import hashlib

        assert hashlib.sha256(read(s3, f"split/chat/{name}")).hexdigest() == info["sha256"]
    assert not s3.exists(f"{BUCKET}/split/chat/test.jsonl")  # stale file removed
    job = json.loads(read(s3, "split/chat/job.json"))
    assert job["trainingDataConfig"] == {"s3Uri": f"{out}train.jsonl"}
    assert job["outputDataConfig"] == {"s3Uri": f"{out}output/"}
    assert f'--cli-input-json "$(aws s3 cp {out}job.json -)"' in r.output
    # the split files pass check straight from S3
    r = run("check", f"{out}train.jsonl", "--validation", f"{out}validation.jsonl", "--target", "nova-lite")
    assert r.exit_code == 0, r.output
    assert not os.path.exists("s3:")


def test_fix_and_convert_write_s3(s3):
    uri = put(s3, "in/tickets_dirty.jsonl", SAMPLES / "support_tickets_dirty.jsonl")
    r = run("fix", uri, "-o", f"s3://{BUCKET}/fixed/tickets.jsonl")
    assert r.exit_code == 0, r.output
    assert len(read(s3, "fixed/tickets.jsonl").splitlines()) == 247
    assert len(read(s3, "fixed/tickets.rejected.jsonl").splitlines()) == 19
    src = put(s3, "in/qa.jsonl", SAMPLES / "product_qa.jsonl")
    r = run("convert", src, "--to", "rft", "-o", f"s3://{BUCKET}/rft/qa.jsonl")
    assert r.exit_code == 0, r.output
    first = json.loads(read(s3, "rft/qa.jsonl").splitlines()[0])
    assert set(first) == {"messages", "reference_answer"}


def test_check_images_opens_images_in_s3(s3, tmp_path):
    for i in range(3):
        put(s3, f"images/product-{i:02d}.png", SAMPLES / "images" / f"product-{i:02d}.png")
    rows = [{"image-ref": f"s3://{BUCKET}/images/product-{i:02d}.png", "caption": f"studio photo {i} of a mug"}
            for i in range(4)]  # the fourth image was never uploaded
    local = tmp_path / "captions.jsonl"
    local.write_text("".join(json.dumps(r) + "\n" for r in rows))
    r = run("check", local, "--target", "titan-image-generator-v2", "--check-images", "--no-cache")
    assert r.exit_code == 1 and r.output.count("FT620") == 1 and "product-03.png" in r.output


def test_an_interrupted_write_leaves_no_partial_object(s3):
    key = f"s3://{BUCKET}/out/data.jsonl"
    with pytest.raises(KeyboardInterrupt), atomic_write_bytes(key) as fh:
        fh.write(b'{"prompt": "a", "completion": "b"}\n' * 1000)
        raise KeyboardInterrupt
    assert not s3.exists(key[5:])
    remote.write_bytes(key, b"earlier\n")
    with pytest.raises(RuntimeError), atomic_write_bytes(key) as fh:
        fh.write(b"half of the new file")
        raise RuntimeError("killed")
    assert read(s3, "out/data.jsonl") == b"earlier\n"  # the earlier object is untouched


def test_an_upload_that_fails_midway_leaves_no_object(s3, monkeypatch, tmp_path):
    import s3fs

    monkeypatch.setattr(remote, "PART_SIZE", 5 << 20)  # S3's minimum part: 12 MB go up in 3 parts
    big = tmp_path / "big.jsonl"
    big.write_bytes((b'{"prompt": "x", "completion": "y"}\n') * 360_000)
    real = s3fs.S3FileSystem._call_s3
    seen = []

    async def failing(self, method, *args, **kwargs):
        seen.append(method)
        if method == "upload_part" and kwargs.get("PartNumber") == 2:
            raise OSError("connection reset by peer")
        return await real(self, method, *args, **kwargs)

    monkeypatch.setattr(s3fs.S3FileSystem, "_call_s3", failing)
    with pytest.raises(remote.InputError, match="cannot write"):
        remote.upload(str(big), f"s3://{BUCKET}/out/big.jsonl")
    monkeypatch.setattr(s3fs.S3FileSystem, "_call_s3", real)
    assert "create_multipart_upload" in seen and "complete_multipart_upload" not in seen
    s3.invalidate_cache()
    assert not s3.exists(f"{BUCKET}/out/big.jsonl")


def test_job_verifies_the_split_set_it_names(s3):
    uri = put(s3, "in/chat.jsonl", SAMPLES / "support_chat_nova.jsonl")
    out = f"s3://{BUCKET}/set/"
    assert run("split", uri, "--out", out, "--target", "nova-lite").exit_code == 0
    job = ("job", "--target", "nova-lite", "--train", f"{out}train.jsonl", "--validation", f"{out}validation.jsonl",
           "--job-name", "chat-2", "--role-arn", ROLE, "-o", "job.json", "--verify")
    assert run(*job).exit_code == 0
    # a validation file from another run beside this run's manifest
    put(s3, "set/validation.jsonl", SAMPLES / "support_chat_nova.jsonl")
    r = run(*job)
    assert r.exit_code == 2 and "sha256 is not the one manifest.json records" in r.output and "Traceback" not in r.output
    assert run(*job[:-1]).exit_code == 0  # without --verify the command reads nothing
    # a split interrupted before its manifest: the set is unfinished
    s3.rm(f"{BUCKET}/set/manifest.json")
    s3.invalidate_cache()
    r = run(*job)
    assert r.exit_code == 2 and "has no manifest.json" in r.output
    # files that no split wrote are not judged
    put(s3, "plain/train.jsonl", SAMPLES / "support_chat_nova.jsonl")
    assert run("job", "--target", "nova-lite", "--train", f"s3://{BUCKET}/plain/train.jsonl", "--job-name", "c3",
               "--role-arn", ROLE, "-o", "job3.json", "--verify").exit_code == 0
