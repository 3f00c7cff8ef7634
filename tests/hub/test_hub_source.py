"""The Hub source end to end: the real huggingface_hub client against the local server."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from openscope.errors import SourceError
from openscope.snapshot import Snapshot
from openscope.sources.hub import HubSource
from openscope.sources.mirror import MirrorSource
from openscope.sources.refs import parse_ref
from openscope.testing.hubserver import Fault, HubServer

from .conftest import MIRROR, cache_files

FULL = "01-ai/Yi-34B"  # details record with siblings and a card in the mirror
LIST_ONLY = "AIARTCHAN/MIX-Pro-V4"  # list record: no siblings, card in the mirror
WEIGHT_SUFFIXES = (".safetensors", ".bin", ".pt", ".pth", ".ckpt", ".gguf", ".h5", ".onnx")

Make = Callable[..., HubSource]


def _record(repo: str) -> dict[str, object]:
    data = json.loads((MIRROR / "models" / repo / "info.json").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def _fail(make: Make, ref: str, **kwargs: object) -> SourceError:
    with pytest.raises(SourceError) as info:
        make(**kwargs).collect(parse_ref(ref))
    return info.value


def test_full_record_lists_weights_and_pins_revision(
    make: Make, hub_server: HubServer, cache_dir: Path
) -> None:
    snap = make().collect(parse_ref(f"hf:{FULL}"))
    record = _record(FULL)
    assert snap.source == "hf" and snap.kind == "model"
    assert snap.revision == record["sha"]
    assert snap.retrieved_at and snap.retrieved_at.endswith("Z")
    assert snap.url == f"https://huggingface.co/{FULL}"
    assert snap.files is not None
    weights = [p for p in snap.file_paths() if p.endswith(WEIGHT_SUFFIXES)]
    assert weights, "the weights are found from the listing"
    assert "README.md" in {d.path for d in snap.documents}
    # LICENSE is listed, but the mirror did not record its content: said so, not hidden.
    assert "LICENSE: listed but could not be downloaded (not found)" in snap.notes
    assert snap.metadata["cardData"] == record["cardData"]
    assert "siblings" not in snap.metadata and snap.metadata["tags"] == record["tags"]
    # Never a weight download; files are fetched at the pinned sha.
    fetched = [path for method, path, _ in hub_server.requests if "/resolve/" in path]
    assert fetched and not [p for p in fetched if p.endswith(WEIGHT_SUFFIXES)]
    assert all(f"/resolve/{record['sha']}/" in p for p in fetched)
    assert any(p.name == f"{record['sha']}.json" for p in cache_files(cache_dir))


def test_list_only_record_has_unknown_listing(make: Make) -> None:
    snap = make().collect(parse_ref(f"hf:{LIST_ONLY}"))
    assert snap.files is None  # unknown, not empty
    assert snap.file_paths() == ()
    assert snap.card() is not None
    assert any("no file listing" in n for n in snap.notes)
    assert snap.revision is None and any("not pinned" in n for n in snap.notes)


def test_dataset_ref(make: Make) -> None:
    snap = make().collect(parse_ref("hf-dataset:squad"))
    assert snap.kind == "dataset" and snap.url == "https://huggingface.co/datasets/squad"
    assert {"README.md", "dataset_infos.json"} <= {d.path for d in snap.documents}


def test_gated_repo_gives_a_snapshot_with_gating(make: Make, hub_server: HubServer) -> None:
    hub_server.state.gated[FULL] = "manual"
    snap = make().collect(parse_ref(f"hf:{FULL}"))
    assert snap.metadata["gated"] == "manual"
    assert snap.card() is not None  # the card of a gated repo is public
    assert any("LICENSE: not read (gated" in n for n in snap.notes)
    assert any(p.endswith(".safetensors") for p in snap.file_paths())


def test_gated_api_is_a_gated_error_not_not_found(
    make: Make, hub_server: HubServer, cache_dir: Path
) -> None:
    hub_server.state.gated_api.add(FULL)
    err = _fail(make, f"hf:{FULL}")
    assert err.reason == "gated" and "not found" not in err.message
    assert cache_files(cache_dir) == []


def test_not_found(make: Make, cache_dir: Path) -> None:
    err = _fail(make, "hf:nobody/no-such-model")
    assert err.reason == "not-found"
    assert err.one_line().count("\n") == 0
    assert cache_files(cache_dir) == []


def test_unknown_revision(make: Make) -> None:
    err = _fail(make, f"hf:{FULL}@deadbeef")
    assert err.reason == "not-found" and "revision" in err.message


def test_429_with_retry_after_then_success(make: Make, hub_server: HubServer) -> None:
    fault = hub_server.add_fault(Fault("429", repo=FULL, target="api", times=2, seconds=3))
    waits: list[float] = []
    snap = make(sleep=waits.append).collect(parse_ref(f"hf:{FULL}"))
    assert fault.hits == 2 and waits == [3.0, 3.0]  # Retry-After honoured, not the backoff
    assert snap.revision == _record(FULL)["sha"]


def test_429_real_wait_is_honoured(make: Make, hub_server: HubServer) -> None:
    import time

    hub_server.add_fault(Fault("429", repo=FULL, target="api", times=1, seconds=1))
    start = time.monotonic()
    make().collect(parse_ref(f"hf:{FULL}"))
    assert time.monotonic() - start >= 1.0


def test_429_beyond_the_cap_is_rate_limited(
    make: Make, hub_server: HubServer, cache_dir: Path
) -> None:
    hub_server.add_fault(Fault("429", repo=FULL, times=None, seconds=3600))
    err = _fail(make, f"hf:{FULL}")
    assert err.reason == "rate-limited" and "3600" in err.message
    assert cache_files(cache_dir) == []


def test_500_storm_ends_in_a_clear_error(
    make: Make, hub_server: HubServer, cache_dir: Path
) -> None:
    hub_server.add_fault(Fault("500", repo=FULL, times=None))
    err = _fail(make, f"hf:{FULL}")
    assert err.reason == "server-error" and "3 tries" in err.message
    api_calls = [p for _, p, _ in hub_server.requests if p.startswith("/api/")]
    assert len(api_calls) == 3
    assert cache_files(cache_dir) == []


def test_500_during_a_download_fails_the_whole_snapshot(
    make: Make, hub_server: HubServer, cache_dir: Path
) -> None:
    hub_server.add_fault(Fault("500", repo=FULL, target="file", times=None))
    err = _fail(make, f"hf:{FULL}")
    assert err.reason == "server-error"
    assert cache_files(cache_dir) == []  # a snapshot missing its card is never cached


def test_timeout(make: Make, hub_server: HubServer, cache_dir: Path) -> None:
    hub_server.add_fault(Fault("hang", repo=FULL, target="api", times=None, seconds=1.0))
    err = _fail(make, f"hf:{FULL}", timeout=0.2)
    assert err.reason == "timeout"
    assert cache_files(cache_dir) == []


def test_truncated_api_body(make: Make, hub_server: HubServer, cache_dir: Path) -> None:
    hub_server.add_fault(Fault("truncate", repo=FULL, target="api", times=None))
    err = _fail(make, f"hf:{FULL}")
    assert err.reason == "truncated"
    assert cache_files(cache_dir) == []


def test_truncated_download_is_retried_and_complete(make: Make, hub_server: HubServer) -> None:
    fault = hub_server.add_fault(Fault("truncate", repo=FULL, target="file", times=1))
    snap = make().collect(parse_ref(f"hf:{FULL}"))
    assert fault.hits == 1
    expected = MirrorSource(MIRROR).collect(parse_ref(f"hf:{FULL}"))
    assert snap.documents == expected.documents


def test_truncated_download_always_fails(
    make: Make, hub_server: HubServer, cache_dir: Path
) -> None:
    hub_server.add_fault(Fault("truncate", repo=FULL, target="file", times=None))
    err = _fail(make, f"hf:{FULL}")
    assert err.reason == "truncated"
    assert cache_files(cache_dir) == []


def test_disabled(make: Make, hub_server: HubServer) -> None:
    hub_server.state.disabled.add(FULL)
    assert _fail(make, f"hf:{FULL}").reason == "disabled"


def test_offline_without_server(cache_dir: Path) -> None:
    src = HubSource(endpoint="http://127.0.0.1:9", cache_dir=cache_dir, timeout=1.0)
    with pytest.raises(SourceError) as info:
        src.collect(parse_ref(f"hf:{FULL}"))
    assert info.value.reason == "offline"


def test_cache_hit_and_offline(make: Make, hub_server: HubServer, cache_dir: Path) -> None:
    first = make().collect(parse_ref(f"hf:{FULL}"))
    served = len(hub_server.requests)
    again = make().collect(parse_ref(f"hf:{FULL}"))
    pinned = make().collect(parse_ref(f"hf:{FULL}@{first.revision}"))
    offline = make(offline=True).collect(parse_ref(f"hf:{FULL}"))
    assert len(hub_server.requests) == served  # all from the cache
    assert first == again == offline and pinned.revision == first.revision
    with pytest.raises(SourceError) as info:
        make(offline=True).collect(parse_ref("hf:gpt2"))
    assert info.value.reason == "offline"


def test_cache_ignores_stray_and_corrupt_files(make: Make, cache_dir: Path) -> None:
    make().collect(parse_ref(f"hf:{FULL}"))
    entry = next(
        p for p in cache_files(cache_dir) if p.name.endswith(".json") and "refs" not in p.parts
    )
    entry.write_text("{not json", encoding="utf-8")
    snap = make().collect(parse_ref(f"hf:{FULL}"))  # collected again, entry rewritten
    assert Snapshot.from_json(entry.read_text(encoding="utf-8")) == snap
    assert not [p for p in cache_files(cache_dir) if p.name.startswith(".tmp-")]


def test_token_is_sent_but_never_written(
    hub_server: HubServer,
    hf_endpoint: str,
    cache_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    secret = "hf_SeCrEtT0kenValue0123456789"
    hub_server.state.private.add(FULL)
    hub_server.state.token = secret
    monkeypatch.setenv("HF_TOKEN", secret)
    from .conftest import FAST

    snap = HubSource(cache_dir=cache_dir, retry=FAST).collect(parse_ref(f"hf:{FULL}"))
    assert all(auth for _, _, auth in hub_server.requests)
    monkeypatch.setenv("HF_TOKEN", "hf_wrongtokenvalue")
    with pytest.raises(SourceError) as info:
        HubSource(cache_dir=cache_dir / "other", retry=FAST).collect(parse_ref(f"hf:{FULL}"))
    assert info.value.reason == "private"
    out = capsys.readouterr()
    texts = [
        snap.to_json(),
        repr(HubSource(token=secret)),
        info.value.one_line(),
        out.out,
        out.err,
        caplog.text,
    ]
    texts += [p.read_text(encoding="utf-8") for p in cache_files(cache_dir)]
    assert not [t for t in texts if secret in t or "wrongtoken" in t]


def test_hf_endpoint_is_honoured(make: Make, hf_endpoint: str, hub_server: HubServer) -> None:
    assert make().endpoint == hf_endpoint
    make().collect(parse_ref("hf:gpt2"))
    assert hub_server.requests


def test_server_speaks_the_clients_download_protocol(hub_server: HubServer, tmp_path: Path) -> None:
    """The client's own download path (HEAD for metadata, then GET) works against the server."""
    from huggingface_hub import get_hf_file_metadata, hf_hub_download, hf_hub_url

    sha = str(_record(FULL)["sha"])
    url = hf_hub_url(FULL, "README.md", revision=sha, endpoint=hub_server.url)
    meta = get_hf_file_metadata(url, token=False)
    card = (MIRROR / "models" / FULL / "README.md").read_bytes()
    assert meta.commit_hash == sha and meta.size == len(card) and meta.etag
    path = hf_hub_download(
        FULL, "README.md", revision=sha, endpoint=hub_server.url, cache_dir=tmp_path, token=False
    )
    assert Path(path).read_bytes() == card
    from huggingface_hub.errors import GatedRepoError, RemoteEntryNotFoundError

    with pytest.raises(RemoteEntryNotFoundError):
        get_hf_file_metadata(hf_hub_url(FULL, "nope.txt", endpoint=hub_server.url), token=False)
    hub_server.state.gated[FULL] = "auto"
    with pytest.raises(GatedRepoError):
        get_hf_file_metadata(hf_hub_url(FULL, "config.json", endpoint=hub_server.url), token=False)
