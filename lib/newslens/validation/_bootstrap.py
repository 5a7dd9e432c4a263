"""The one place where newslens.validation resamples: seeded bootstrap draws of unit indices.

Every interval in the package (α, κ, precision, recall, F1, per outlet) comes from
:func:`resample`, so the resampling scheme can be changed here alone.

>>> resample(3, n_boot=2, seed=0).shape
(2, 3)
"""

from __future__ import annotations

import hashlib

import numpy as np


def resample(n: int, *, n_boot: int, seed: int, key: tuple = ()) -> np.ndarray:
    """``n_boot`` bootstrap draws of ``n`` indices in ``[0, n)`` with replacement, shape ``(n_boot, n)``.

    The stream depends on ``seed`` and ``key`` only (e.g. a variable or an outlet), so one group's
    draws do not change when other groups are added or removed.
    """
    digest = hashlib.blake2b(repr(tuple(key)).encode("utf-8"), digest_size=8).digest()
    rng = np.random.default_rng([int(seed), int.from_bytes(digest, "little")])
    return rng.integers(0, n, size=(int(n_boot), int(n))) if n else np.zeros((int(n_boot), 0), dtype=np.int64)


def counts(n: int, *, n_boot: int, seed: int, key: tuple = ()) -> np.ndarray:
    """How often each of ``n`` units is drawn in each :func:`resample` draw, shape ``(n_boot, n)``.

    >>> counts(4, n_boot=3, seed=1).sum(axis=1).tolist()
    [4, 4, 4]
    """
    idx = resample(n, n_boot=n_boot, seed=seed, key=key)
    flat = (idx + np.arange(idx.shape[0])[:, None] * n).ravel()
    return np.bincount(flat, minlength=idx.shape[0] * n).reshape(idx.shape[0], n)
