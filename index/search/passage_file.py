"""A generation's passages read from disk when asked for, through an offset table.

A million passages held as Python objects cost about 2 GB in every serving process; a search
reads the few it returns. passages.jsonl keeps one JSON object a line; passages.offsets.npy
says where each line starts.
"""

from __future__ import annotations

import json
import os
import weakref
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import overload

import numpy as np

from index.errors import IndexCorruptError
from index.search.chunking import Passage

PASSAGES = "passages.jsonl"
OFFSETS = "passages.offsets.npy"


def write_passages(folder: Path, passages: Sequence[Passage]) -> None:
    """The passages file and its offset table (not synced: the caller syncs the folder)."""
    offsets = np.zeros(len(passages) + 1, dtype=np.int64)
    with open(folder / PASSAGES, "wb") as handle:
        for i, passage in enumerate(passages):
            line = (json.dumps(asdict(passage), ensure_ascii=False) + "\n").encode("utf-8")
            handle.write(line)
            offsets[i + 1] = offsets[i] + len(line)
        handle.flush()
        os.fsync(handle.fileno())
    with open(folder / OFFSETS, "wb") as handle:
        np.save(handle, offsets)
        handle.flush()
        os.fsync(handle.fileno())


class PassageFile(Sequence[Passage]):
    """The passages of a generation, each read by pread when asked for."""

    def __init__(self, folder: Path) -> None:
        path = folder / PASSAGES
        size = path.stat().st_size
        if (folder / OFFSETS).exists():
            self._offsets = np.load(folder / OFFSETS, mmap_mode="r")
        else:  # written before the offset table existed: find the lines once
            self._offsets = _line_offsets(path)
        if (len(self._offsets) < 1 or int(self._offsets[0]) != 0
                or int(self._offsets[-1]) != size):
            raise ValueError(f"{PASSAGES} is {size} bytes, its offset table says "
                             f"{int(self._offsets[-1]) if len(self._offsets) else 0}")
        self._path = path
        self._fd = os.open(path, os.O_RDONLY)
        weakref.finalize(self, os.close, self._fd)

    def __len__(self) -> int:
        return len(self._offsets) - 1

    @overload
    def __getitem__(self, index: int) -> Passage: ...

    @overload
    def __getitem__(self, index: slice) -> list[Passage]: ...

    def __getitem__(self, index: int | slice) -> Passage | list[Passage]:
        if isinstance(index, slice):
            start, stop, step = index.indices(len(self))
            if step != 1:
                return [self[i] for i in range(start, stop, step)]
            return self._read(start, max(start, stop))
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        return self._read(index, index + 1)[0]

    def _read(self, start: int, stop: int) -> list[Passage]:
        if start >= stop:
            return []
        first, last = int(self._offsets[start]), int(self._offsets[stop])
        raw = os.pread(self._fd, last - first, first)
        try:
            return [Passage(**json.loads(line)) for line in raw.decode("utf-8").splitlines()]
        except (ValueError, TypeError) as error:
            raise IndexCorruptError(f"{self._path} is damaged near passage {start} ({error}); "
                                    "run `python -m index rebuild`") from error


def _line_offsets(path: Path) -> np.ndarray:
    data = np.fromfile(path, dtype=np.uint8)
    ends = np.flatnonzero(data == ord("\n")) + 1
    if len(data) and (not len(ends) or ends[-1] != len(data)):
        ends = np.append(ends, len(data))
    return np.concatenate([[0], ends]).astype(np.int64)
