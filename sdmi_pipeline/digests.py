"""The one sha256 helper: the hex digest of bytes, of text (UTF-8), or of a file's content."""

import hashlib
from pathlib import Path

BLOCK = 1 << 20  # a file is read in blocks of 1 MiB, never whole


def sha256(content: bytes | str | Path) -> str:
    """The hex sha256 of `content`: bytes as given, text as UTF-8, a path's file read block by block."""
    if isinstance(content, Path):
        digest = hashlib.sha256()
        with content.open("rb") as handle:
            for block in iter(lambda: handle.read(BLOCK), b""):
                digest.update(block)
        return digest.hexdigest()
    return hashlib.sha256(content.encode("utf-8") if isinstance(content, str) else content).hexdigest()


def tree_sha256(folders: tuple[Path, ...], root: Path, left_out: tuple[Path, ...] = ()) -> str:
    """sha256 over the path (relative to `root`) and content of every file in `folders`, except
    compiled Python and the files under `left_out`."""
    digest = hashlib.sha256()
    for folder in folders:
        for path in sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            if any(path.is_relative_to(skipped) for skipped in left_out):
                continue
            digest.update(f"{path.relative_to(root).as_posix()}\0".encode())
            digest.update(bytes.fromhex(sha256(path)))
    return digest.hexdigest()
