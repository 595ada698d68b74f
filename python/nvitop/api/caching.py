# SPDX-License-Identifier: Apache-2.0
"""ttl_cache (nvitop.api.caching of nvitop 1.7): an lru_cache-like decorator whose entries expire."""

from __future__ import annotations

import functools
import threading
import time
from collections import OrderedDict
from typing import Any, Callable, NamedTuple

__all__ = ['ttl_cache']


class _CacheInfo(NamedTuple):
    hits: int
    misses: int
    maxsize: int
    currsize: int


class _TTLCache:
    """FIFO by insertion or refresh; a hit does not refresh recency (as nvitop's)."""

    def __init__(self, maxsize: int, ttl: float, timer: Callable[[], float]) -> None:
        self.maxsize = maxsize
        self.ttl = ttl
        self.timer = timer
        self.lock = threading.RLock()
        self.entries: OrderedDict[Any, tuple[Any, float]] = OrderedDict()
        self.hits = 0
        self.misses = 0

    def purge(self) -> None:
        now = self.timer()
        while self.entries:
            key = next(iter(self.entries))
            if self.entries[key][1] > now:
                break
            del self.entries[key]

    def put(self, key: Any, value: Any) -> None:
        expires = self.timer() + self.ttl
        with self.lock:
            self.entries.pop(key, None)
            if len(self.entries) >= self.maxsize:
                self.purge()
            while len(self.entries) >= self.maxsize:
                self.entries.popitem(last=False)
            self.entries[key] = (value, expires)


def ttl_cache(
    maxsize: int | Callable | None = 128,
    *,
    ttl: float = 600.0,
    timer: Callable[[], float] = time.monotonic,
    typed: bool = False,
) -> Callable:
    """Time aware cache decorator: @ttl_cache, @ttl_cache(maxsize, ttl=..., timer=..., typed=...)."""
    if isinstance(maxsize, int):
        maxsize = max(maxsize, 0)
    elif callable(maxsize) and isinstance(typed, bool):
        user_function, maxsize = maxsize, 128
        return ttl_cache(maxsize, ttl=ttl, timer=timer, typed=typed)(user_function)
    elif maxsize is not None:
        raise TypeError('Expected first argument to be an integer, a callable, or None')
    if ttl < 0.0:
        raise ValueError('TTL must be a non-negative number')
    if not callable(timer):
        raise TypeError('Timer must be a callable')
    if maxsize == 0 or maxsize is None:
        return functools.lru_cache(maxsize=maxsize, typed=typed)

    def decorating_function(user_function: Callable) -> Callable:
        cache = _TTLCache(maxsize, ttl, timer)  # type: ignore[arg-type]
        make_key = functools._make_key  # pylint: disable=protected-access

        @functools.wraps(user_function)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            key = make_key(args, kwargs, typed)
            with cache.lock:
                entry = cache.entries.get(key)
                if entry is not None:
                    if cache.timer() < entry[1]:
                        cache.hits += 1
                        return entry[0]
                    cache.purge()
                cache.misses += 1
            value = user_function(*args, **kwargs)
            cache.put(key, value)
            return value

        def cache_info() -> _CacheInfo:
            with cache.lock:
                cache.purge()
                return _CacheInfo(cache.hits, cache.misses, cache.maxsize, len(cache.entries))

        def cache_clear() -> None:
            with cache.lock:
                cache.entries.clear()
                cache.hits = cache.misses = 0

        def cache_parameters() -> dict[str, Any]:
            return {'maxsize': cache.maxsize, 'typed': typed}

        wrapper.cache_info = cache_info  # type: ignore[attr-defined]
        wrapper.cache_clear = cache_clear  # type: ignore[attr-defined]
        wrapper.cache_parameters = cache_parameters  # type: ignore[attr-defined]
        return wrapper

    return decorating_function
