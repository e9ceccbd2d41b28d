"""Fast loading of the shipped joblib models: a plain-pickle copy in the user's cache.

The trained models ship xz-compressed joblib files; joblib unpickles them with Python's
pure-Python unpickler, about 2.4 s for the technique model and 1.3 s for the genre model,
paid by every process that runs framing (and by every small incremental run). The first
load writes an uncompressed pickle of the same objects to the cache folder (the place
index's: ``RASHOMON_CACHE_DIR``, else ``$XDG_CACHE_HOME/rashomon``, else
``~/.cache/rashomon``), named by the hash of the model file's bytes and the Python,
NumPy and scikit-learn versions; later loads read it with the C unpickler (~0.15 s). A
changed model file, a library upgrade or an unwritable or corrupt cache falls back to
``joblib.load``; the objects are the same either way.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import platform
from pathlib import Path
from typing import Any


def cache_dir() -> Path:
    base = os.environ.get("RASHOMON_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "rashomon")
    return Path(base)


def _versions() -> bytes:
    import numpy

    try:
        import sklearn

        skl = sklearn.__version__
    except ImportError:  # pragma: no cover - sklearn is a dependency
        skl = "-"
    return f"{platform.python_version()}|{numpy.__version__}|{skl}".encode()


def cached_path(path: Path, data: bytes) -> Path:
    digest = hashlib.sha1(data + b"\0" + _versions()).hexdigest()[:16]
    return cache_dir() / f"model-{path.stem}-{digest}.pickle"


def load_joblib(path: str | Path) -> Any:
    """``joblib.load(path)``, through the plain-pickle cache."""
    path = Path(path)
    data = path.read_bytes()  # OSError propagates, as from joblib.load
    cached = cached_path(path, data)
    try:
        with open(cached, "rb") as fh:
            return pickle.load(fh)
    except Exception:  # missing, partial or unreadable: load the model file itself
        pass
    import io

    import joblib

    obj = joblib.load(io.BytesIO(data))
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        tmp = cached.with_suffix(f".{os.getpid()}.tmp")
        with open(tmp, "wb") as fh:
            pickle.dump(obj, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, cached)
    except Exception:  # a read-only home still works, it just loads slowly
        pass
    return obj
