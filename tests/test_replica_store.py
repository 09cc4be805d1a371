"""The store on an S3 server with its versions committed in PostgreSQL (real servers on loopback):
the same views, originals and hashes as a local folder, verify, concurrent imports from separate
processes, and a writer killed mid-import."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pyarrow.fs as pafs
import pytest
from replica_servers import REPO, child_env
from test_store import JUN, NAN, SEP, commit, indicators_frame, units_frame

import metrics.store as store_mod
from metrics.importer import import_file
from metrics.preview import view_hash
from metrics.store import Store
from metrics.stored import checkpoints, fs, sequence
from metrics.stored.verify import verify

DEMO = REPO / "data" / "demo"
MONTHS = [DEMO / f"2021-{m:02d}_月度指标.csv" for m in range(1, 9)]


def _local(path: Path) -> Store:
    store = Store(path)
    store._sequence = sequence.FolderSequence(store.root)   # the single-machine default, whatever METRICS_DB says
    return store


def _fill(store: Store) -> None:
    store.commit_catalog(units_frame(), indicators_frame(), original=b"catalog bytes", file_name="目录.xlsx", user="u")
    commit(store, [("2021Q2", JUN, "U1", "I1", 100.0, NAN, 40.0, "首报")], file="q2.xlsx")
    commit(store, [("2021Q3", SEP, "U1", "I1", 100.0, NAN, 70.0, None),
                   ("2021Q3", SEP, "U2", "I1", 80.0, NAN, 90.0, None)], file="q3.xlsx")
    commit(store, [("2021Q3", SEP, "U2", "I1", NAN, NAN, 85.0, "更正")], file="q3-fix.xlsx")


def test_s3_store_works_like_a_folder(s3_store, tmp_path):
    s3, local = Store(s3_store), _local(tmp_path / "store")
    assert isinstance(s3.root, fs.FsPath) and isinstance(s3.sequence, sequence.DbSequence)
    _fill(s3)
    _fill(local)
    assert s3.latest_version() == local.latest_version() == 4
    for v in range(1, 5):
        pd.testing.assert_frame_equal(s3.figures(v), local.figures(v))
        assert s3.original(v) == local.original(v)
        a, b = s3.manifest(v), local.manifest(v)
        assert (a["sha256"], a["files"], a["kind"], a["rows"]) == (b["sha256"], b["files"], b["kind"], b["rows"])
    pd.testing.assert_frame_equal(s3.catalog()[0], local.catalog()[0])
    assert s3.figures().set_index("unit_code").loc["U2", "actual"] == 85.0
    assert s3.write_checkpoint() == 4 and checkpoints.listed(s3.root) == [4]   # checkpoints live on S3 too
    store_mod._VIEW_CACHE.clear()            # a cold replica: views read back from S3 (checkpoint + tail)
    pd.testing.assert_frame_equal(Store(s3_store).figures(), local.figures())

    report = verify(s3_store)
    assert report.ok and report.versions == 4 and report.files == verify(local.root).files == 9
    assert s3.root.fs.get_file_info(f"{s3.root.path}/verify.json").type == pafs.FileType.File

    # a changed object is found, named by version and file
    (s3.root / "versions" / "000003" / "figures.parquet").write_bytes(b"not the figures")
    bad = verify(s3_store)
    assert not bad.ok and [(f.version, f.file, f.problem) for f in bad.findings] == [(3, "figures.parquet", "mismatch")]


def _run_import(path: Path, store: str, env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "metrics", "import", str(path), "--store", store], cwd=REPO,
                            env=child_env(env), stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def _env(store: str) -> dict[str, str]:
    import os

    return {k: os.environ[k] for k in ("AWS_ENDPOINT_URL", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
                                        "AWS_REGION", "METRICS_DB")} | {"METRICS_STORE": store}


def test_concurrent_imports_from_eight_processes(s3_store, tmp_path):
    env = _env(s3_store)
    first = _run_import(DEMO / "catalog.xlsx", s3_store, env)
    assert first.wait(120) == 0, first.stdout.read().decode()
    procs = [_run_import(p, s3_store, env) for p in MONTHS]     # all at once, each its own process
    for p in procs:
        assert p.wait(300) == 0, p.stdout.read().decode()
    s3 = Store(s3_store)
    log = s3.versions()
    assert log["version"].tolist() == list(range(1, 10))      # distinct consecutive numbers, none lost
    assert sorted(log["file_name"].iloc[1:]) == sorted(p.name for p in MONTHS)

    local = _local(tmp_path / "sequential")                    # the same files one after another
    for path in [DEMO / "catalog.xlsx", *MONTHS]:
        import_file(path, local, db_url=f"sqlite:///{tmp_path / 'people.sqlite3'}")
    sequential = local.figures()
    assert len(sequential) > 700
    assert view_hash(s3.figures()) == view_hash(sequential)
    assert verify(s3_store).ok


HANG = """
import sys, time
from pathlib import Path
import metrics.store as sm
def hang(where):
    Path(sys.argv[3]).write_text(str(where))
    time.sleep(120)
sm._before_publish = hang
from metrics.cli import main
sys.exit(main(["import", sys.argv[1], "--store", sys.argv[2]]))
"""


def test_writer_killed_mid_import_leaves_no_visible_version(s3_store, tmp_path):
    env = _env(s3_store)
    marker = tmp_path / "written"      # the very first version of the store: its writer dies before the commit
    proc = subprocess.Popen([sys.executable, "-c", HANG, str(DEMO / "catalog.xlsx"), s3_store, str(marker)], cwd=REPO,
                            env=child_env(env), stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    end = time.monotonic() + 120
    while not marker.exists() and time.monotonic() < end and proc.poll() is None:
        time.sleep(0.1)
    assert marker.exists(), proc.stdout.read().decode()
    store = Store(s3_store)
    partial = store.root / "versions" / "000001"
    assert (partial / "units.parquet").is_file() and (partial / "manifest.json").is_file()   # all written …
    proc.send_signal(signal.SIGKILL)                           # … and the writer dies before its commit
    proc.wait(10)
    assert store.latest_version() == 0 and store.versions().empty and store.catalog() is None
    assert verify(s3_store).ok

    # the next writers (another replica) are not blocked by the dead one's lock and reuse the number
    for path in (DEMO / "catalog.xlsx", MONTHS[1]):
        again = _run_import(path, s3_store, env)
        assert again.wait(120) == 0, again.stdout.read().decode()
    assert store.versions()["file_name"].tolist() == ["catalog.xlsx", MONTHS[1].name]
    assert set(store.figures()["period"]) == {"2021-02"}
    assert verify(s3_store).ok


def test_folder_store_moved_onto_postgresql_keeps_its_versions(pg_database, tmp_path, monkeypatch):
    store = _local(tmp_path / "store")
    _fill(store)
    before = store.figures()
    monkeypatch.setenv("METRICS_DB", pg_database)
    moved = Store(tmp_path / "store")
    assert isinstance(moved.sequence, sequence.DbSequence)
    assert moved.latest_version() == 4
    pd.testing.assert_frame_equal(moved.figures(), before)
    commit(moved, [("2021Q3", SEP, "U1", "I1", NAN, NAN, 75.0, None)], file="q3-b.xlsx")
    assert moved.latest_version() == 5 and moved.sequence.numbers() == [1, 2, 3, 4, 5]
    assert verify(moved.root).ok


def test_s3_connection_from_secrets_toml_and_environment(tmp_path, monkeypatch):
    for key in ("AWS_ENDPOINT_URL", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_REGION", "AWS_DEFAULT_REGION"):
        monkeypatch.delenv(key, raising=False)
    secrets = tmp_path / "secrets.toml"
    secrets.write_text('[s3]\nendpoint_url = "http://minio:9000"\naccess_key_id = "from-file"\n'
                       'secret_access_key = "s"\nregion = "cn-1"\n', encoding="utf-8")
    monkeypatch.setenv("METRICS_SECRETS", str(secrets))
    assert fs.s3_settings() == {"endpoint_url": "http://minio:9000", "access_key_id": "from-file",
                                "secret_access_key": "s", "region": "cn-1"}
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "from-env")          # the environment wins
    assert fs.s3_settings()["access_key_id"] == "from-env"
    with pytest.raises(ValueError, match="s3://bucket/prefix"):
        fs.from_uri("gs://elsewhere/x")
    monkeypatch.delenv("METRICS_DB", raising=False)
    with pytest.raises(ValueError, match="METRICS_DB"):        # an object store without PostgreSQL
        sequence.for_store(fs.FsPath(None, "bucket/x", "s3"))


def test_health_route_answers_for_the_balancer(s3_store, monkeypatch):
    """200 with the replica and the store's version when store and database answer; 503 otherwise."""
    import asyncio
    import json

    from ui import health

    monkeypatch.setenv("METRICS_STORE", s3_store)
    monkeypatch.setenv("METRICS_REPLICA", "r1")
    _fill(Store(s3_store))
    ok = asyncio.run(health.health(None))
    assert ok.status_code == 200 and json.loads(ok.body) == {"ok": True, "replica": "r1", "version": 4,
                                                              "store": s3_store}
    monkeypatch.delenv("METRICS_DB")                          # this replica lost its database setting
    bad = asyncio.run(health.health(None))
    assert bad.status_code == 503 and json.loads(bad.body) == {"ok": False, "replica": "r1", "error": "ValueError"}


def test_evidence_of_a_ledger_item_lives_on_the_object_store(s3_store, pg_database):
    """Every replica reads the evidence another stored: on an s3:// store the files go beside it in the
    bucket (by SHA-256), capped in size, one copy per content."""
    import datetime as dt
    import hashlib

    from metrics.access import Actor
    from metrics.supervision import ledger
    from metrics.supervision.evidence import evidence_dir
    from metrics.supervision.ledger import ItemInput
    from metrics.supervision.states import Refused

    store = Store(s3_store)
    office = Actor.cli_operator()
    code = ledger.open_item(pg_database, office, ItemInput(
        source="督查", unit_code="430421", responsible_unit="430421", problem="招商引资进度滞后", leader="王五",
        deadline=dt.date(2099, 12, 31), requirements=[("制定方案", None)]), on=dt.date(2021, 4, 1))
    ledger.transition(pg_database, office, code, "start", on=dt.date(2021, 4, 2))
    blob = b"%PDF-1.4 rectification report\n" * 100
    with pytest.raises(Refused, match="超过上限"):
        ledger.transition(pg_database, office, code, "apply", files=[("大.pdf", blob)], store_root=store.root,
                          max_bytes=len(blob) - 1)
    assert ledger.transition(pg_database, office, code, "apply", files=[("整改报告.pdf", blob)], store_root=store.root,
                             on=dt.date(2021, 4, 9)) == "申请销号"
    sha = hashlib.sha256(blob).hexdigest()
    where = evidence_dir(s3_store)
    assert isinstance(where, fs.FsPath) and str(where).endswith(".evidence")
    assert (where / sha[:2] / sha).read_bytes() == blob
    assert fs.listdir(where) == [sha[:2]]          # nothing else left in the bucket's evidence folder
