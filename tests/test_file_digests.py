"""A raw file is hashed once per process while its size and modification time hold."""

import hashlib
import os
from pathlib import Path

from sdmi_pipeline.ingest import file_digests
from sdmi_pipeline.ingest.file_digests import file_sha256


def test_a_file_is_read_again_only_when_its_size_or_time_changed(tmp_path: Path, monkeypatch):
    path = tmp_path / "penempatan_pmi_2023_01.csv"
    path.write_bytes(b"a,b\n1,2\n")
    reads = []
    real_sha256 = file_digests.sha256
    monkeypatch.setattr(file_digests, "sha256", lambda path: reads.append(path.name) or real_sha256(path))

    assert file_sha256(path) == hashlib.sha256(b"a,b\n1,2\n").hexdigest()
    assert file_sha256(path) == hashlib.sha256(b"a,b\n1,2\n").hexdigest()
    assert reads == ["penempatan_pmi_2023_01.csv"]  # the second answer came from memory

    path.write_bytes(b"a,b\n1,3\n")  # same size: its modification time tells
    os.utime(path, ns=(1, 1))
    assert file_sha256(path) == hashlib.sha256(b"a,b\n1,3\n").hexdigest()
    assert len(reads) == 2
    assert len(file_digests._KNOWN) >= 2
