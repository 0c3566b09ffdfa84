"""A one-dimensional .npy file: slices read by pread, or the whole array mapped for a loop."""

from __future__ import annotations

import mmap
import os
import weakref
from pathlib import Path

import numpy as np


class ArrayFile:
    """A stored array a search reads runs of (a word's posting list).

    Read by pread, a run stays in the shared page cache, not in the process's resident memory.
    Read through the mapping `whole` gives (a compiled loop over many lists, no copy), the pages
    read stay counted in the process's resident memory until `release` gives them back. The
    file is opened once, so a generation pruned from disk stays readable by the process that
    still serves it.
    """

    def __init__(self, path: Path) -> None:
        header = np.load(path, mmap_mode="r")  # parses and checks the header, maps nothing read
        if header.ndim != 1:
            raise ValueError(f"{path.name} holds a {header.ndim}-dimensional array, not a list")
        self.dtype, self.offset, self.length = header.dtype, header.offset, len(header)
        expected = self.offset + self.length * self.dtype.itemsize
        if path.stat().st_size != expected:
            raise ValueError(f"{path.name} is {path.stat().st_size} bytes, its header says "
                             f"{expected}")
        del header
        self._fd = os.open(path, os.O_RDONLY)
        weakref.finalize(self, os.close, self._fd)
        self._map: mmap.mmap | None = None
        self._mapped: np.ndarray | None = None

    def __len__(self) -> int:
        return self.length

    def read(self, start: int, stop: int) -> np.ndarray:
        """Elements `start` to `stop` (exclusive)."""
        out = np.empty(max(0, stop - start), dtype=self.dtype)
        if len(out):
            got = os.preadv(self._fd, [memoryview(out).cast("B")],
                            self.offset + start * self.dtype.itemsize)
            if got != out.nbytes:
                raise OSError(f"short read: {got} of {out.nbytes} bytes")
        return out

    def whole(self) -> np.ndarray:
        """The whole array, read-only, through a mapping of the file (made once): for compiled
        loops that read many runs at once without copying them. Its pages read stay counted in
        the process's resident memory (shared, file-backed) until `release` gives them back."""
        if self._mapped is None:
            if self.length == 0:
                self._mapped = np.empty(0, dtype=self.dtype)
            else:
                self._map = mmap.mmap(self._fd, 0, access=mmap.ACCESS_READ)
                self._mapped = np.frombuffer(self._map, dtype=self.dtype, count=self.length,
                                             offset=self.offset)
        return self._mapped

    def release(self, start: int, stop: int) -> None:
        """Unmap the pages of elements `start:stop` read through `whole` (they stay in the
        shared page cache): the process's resident memory does not grow with every list read."""
        if self._map is None or stop <= start:
            return
        first = (self.offset + start * self.dtype.itemsize) // mmap.PAGESIZE * mmap.PAGESIZE
        end = self.offset + stop * self.dtype.itemsize
        self._map.madvise(mmap.MADV_DONTNEED, first, end - first)


class InMemoryArray:
    """The same reading verb over an array in memory (channels built in this process)."""

    def __init__(self, array: np.ndarray) -> None:
        self.array = array
        self.dtype, self.length = array.dtype, len(array)

    def __len__(self) -> int:
        return self.length

    def read(self, start: int, stop: int) -> np.ndarray:
        return self.array[start:stop]

    def whole(self) -> np.ndarray:
        return self.array

    def release(self, start: int, stop: int) -> None:
        """Nothing is mapped."""
