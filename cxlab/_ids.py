"""Integer codes of customer-id columns, without hashing where the ids allow it (private).

Per-customer statistics (the RFM summary) need every row's customer as a small integer.
``pd.factorize`` hashes every id, which at ten million rows costs more than the whole
summary. Most id columns need no hashing:

* **integer ids** (what ``pd.read_csv`` gives): the id minus the smallest id is already
  a code, when the ids are not spread much wider than there are rows;
* **fixed-pattern text ids** (``"C0012345"``, ``"CUST-00123"``, also of varying length):
  each byte position holds few distinct byte values, so the bytes read as a
  mixed-radix number (one digit per position, a short id sorting first) are codes in
  the ids' sort order.

Both give *slots*: codes in id order that may leave gaps (slot values no id takes).
:func:`id_slots` returns them with a function that turns slots back into ids, so a caller
can work on slots and name only the slots that occur. :func:`dense_codes` closes the gaps
and returns exactly what ``pd.factorize(ids, sort=True)`` returns. Anything else (long or
irregular text, object columns, missing ids) goes to hashing, with missing ids coded -1.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = ["IdSlots", "id_slots", "dense_codes"]

_MAX_TEXT_WIDTH = 32  # wider text ids go to hashing (one pass per varying byte position)


@dataclass(frozen=True)
class IdSlots:
    """Row codes of an id column: ``0 <= codes < size``, in the ids' sort order."""

    codes: np.ndarray  # intp, one per row; -1 = missing id (hashing path only)
    size: int  # number of slots; >= the number of distinct ids
    labels: Callable[[np.ndarray], pd.Index]  # ids of the given occurring slots, in the input's dtype
    dense: bool  # every slot 0 .. size - 1 occurs (codes are pd.factorize(sort=True) codes)


def id_slots(ids: pd.Series, *, max_gaps: float = 0.25) -> IdSlots:
    """Codes of ``ids`` in sort order; gaps allowed up to ``max_gaps`` slots per row.

    Slots with gaps are returned when there are at most ``max(max_gaps * len(ids), 65536)``
    of them (so arrays indexed by slot stay small next to the rows); wider id ranges are
    closed to dense codes when that is cheaper than hashing, else hashed.
    """
    n = len(ids)
    gapped_max = max(int(max_gaps * n), 1 << 16)
    for make in (_int_slots, _text_slots):
        found = make(ids)
        if found is None:
            continue
        codes, size, labels = found
        if size <= gapped_max:
            return IdSlots(codes, size, labels, False)
        if size <= max(4 * n, 1 << 16):  # close the gaps: one scatter, one running sum, one gather
            return _closed(codes, size, labels)
        break
    codes, uniques = _hashed_codes(ids)
    return IdSlots(codes, len(uniques), uniques.take, True)


def dense_codes(ids: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """``pd.factorize(ids, sort=True)``: int64 codes (-1 = missing) and the sorted distinct ids."""
    slots = id_slots(ids)
    if not slots.dense:
        slots = _closed(slots.codes, slots.size, slots.labels)
    return slots.codes.astype(np.int64, copy=False), slots.labels(np.arange(slots.size))


def _closed(codes: np.ndarray, size: int, labels: Callable[[np.ndarray], pd.Index]) -> IdSlots:
    present = np.zeros(size, dtype=bool)
    present[codes] = True
    occupied = np.flatnonzero(present)
    rank = np.cumsum(present, dtype=np.int32 if size < 2**31 else np.int64)
    del present
    rank -= 1
    dense = rank[codes].astype(np.intp, copy=False)
    return IdSlots(dense, len(occupied), lambda slots: labels(occupied[slots]), True)


# ----------------------------------------------------------------------------- integer ids
def _int_slots(ids: pd.Series):
    dtype = ids.dtype
    if not pd.api.types.is_integer_dtype(dtype) or len(ids) == 0:
        return None
    if isinstance(dtype, np.dtype):
        values = ids.to_numpy()
    else:  # nullable Int64, int64[pyarrow]: only without missing ids
        if ids.hasnans:
            return None
        values = ids.to_numpy(dtype=np.dtype(dtype.numpy_dtype))
    lo, hi = int(values.min()), int(values.max())
    if 0 <= lo and hi < max(len(ids) // 4, 1 << 16) and values.dtype == np.intp:
        lo = 0  # ids from 0 or 1 upwards (database keys): the ids are the slots, no copy
    size = hi - lo + 1
    if size > max(4 * len(ids), 1 << 16):
        return None
    if values.dtype == np.intp:
        codes = values if lo == 0 else values - lo
    else:  # small ints, or uint64 ids above 2**63: differences fit once the smallest is taken off
        codes = (values - values.dtype.type(lo)).astype(np.intp)

    def labels(slots: np.ndarray) -> pd.Index:
        out = np.asarray(slots).astype(values.dtype) + values.dtype.type(lo)  # back in the ids' own type
        return pd.Index(out if isinstance(dtype, np.dtype) else pd.array(out, dtype=dtype))

    return codes, size, labels


# ----------------------------------------------------------------------------- text ids
def _text_slots(ids: pd.Series):
    """Mixed-radix codes of pyarrow-backed text ids whose byte positions vary little."""
    dtype = ids.dtype
    if not (isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow") or len(ids) == 0:
        return None
    arrow = _arrow_strings(ids)
    if arrow is None:
        return None
    n, offsets, data = arrow
    l_min, l_max = _length_range(offsets)
    if l_min < 1 or l_max > _MAX_TEXT_WIDTH or int(offsets[-1]) - int(offsets[0]) >= 2**31:
        return None
    if l_min == l_max:
        block = data[offsets[0]:offsets[-1]].reshape(n, l_max)  # a view: fixed-width ids are one byte matrix
        lo, hi = _column_min_max(block)
    else:
        lengths = np.subtract(offsets[1:], offsets[:-1], dtype=np.int32, casting="unsafe")
        block, lo, hi = _padded_block(n, offsets, lengths, data, l_max)
    if lo.min() == 0:  # a NUL byte in an id would be taken for the padding of a shorter id
        return None
    # digit of position j: byte - lo[j] (+1 where a shorter id may leave it empty: empty = 0)
    can_pad = np.arange(l_max) >= l_min
    radix = hi.astype(np.int64) - lo + 1 + can_pad
    size = int(np.prod(radix.astype(float)))
    if size > max(4 * n, 1 << 16):
        return None
    size = int(np.prod(radix))
    codes = _mixed_radix(block, lo, radix, can_pad, n)
    del block

    def labels(slots: np.ndarray) -> pd.Index:
        return _text_labels(np.asarray(slots, dtype=np.int64), lo, radix, can_pad, dtype)

    return codes, size, labels


def _arrow_strings(ids: pd.Series):
    import pyarrow as pa

    arr = pa.array(ids.array)
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    if arr.null_count or not (pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type)):
        return None
    n = len(arr)
    otype = np.dtype(np.int64 if pa.types.is_large_string(arr.type) else np.int32)
    offsets = np.frombuffer(arr.buffers()[1], dtype=otype, count=n + 1, offset=arr.offset * otype.itemsize)
    data = np.frombuffer(arr.buffers()[2], dtype=np.uint8)
    return n, offsets, data


def _length_range(offsets: np.ndarray, step: int = 1 << 16) -> tuple[int, int]:
    """Shortest and longest string from Arrow offsets, block by block (no full-size lengths)."""
    l_min, l_max = 2**62, -1
    for start in range(0, len(offsets) - 1, step):
        part = offsets[start:start + step + 1]
        lengths = part[1:] - part[:-1]
        l_min, l_max = min(l_min, int(lengths.min())), max(l_max, int(lengths.max()))
    return l_min, l_max


def _column_min_max(block: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Smallest and largest byte of each column of a C-contiguous ``(n, w)`` uint8 matrix.

    ``block.min(axis=0)`` walks the rows with an inner loop of ``w`` bytes (slow); reading
    many rows at once as one long row lets the reduction run over long contiguous runs.
    """
    n, w = block.shape
    per = max(1, 4096 // w)
    whole = (n // per) * per
    lo, hi = np.full(w, 255, dtype=np.uint8), np.zeros(w, dtype=np.uint8)
    if whole:
        wide = block[:whole].reshape(-1, per * w)
        lo = np.minimum(lo, wide.min(axis=0).reshape(per, w).min(axis=0))
        hi = np.maximum(hi, wide.max(axis=0).reshape(per, w).max(axis=0))
    if whole < n:
        lo = np.minimum(lo, block[whole:].min(axis=0))
        hi = np.maximum(hi, block[whole:].max(axis=0))
    return lo, hi


def _padded_block(n, offsets, lengths, data, width):
    """Varying-length ids as an ``(n, width)`` byte matrix, 0 after each id's end."""
    block = np.zeros((n, width), dtype=np.uint8)
    lo, hi = np.full(width, 255, dtype=np.uint8), np.zeros(width, dtype=np.uint8)
    start = offsets[:-1].astype(np.intp)
    last = int(offsets[-1]) - 1
    for j in range(width):
        has = lengths > j
        col = data[np.minimum(start + j, last)]
        present = col[has]
        lo[j], hi[j] = present.min(), present.max()
        col[~has] = 0
        block[:, j] = col
    return block, lo, hi


def _mixed_radix(block: np.ndarray, lo: np.ndarray, radix: np.ndarray, can_pad: np.ndarray, n: int,
                 step: int = 1 << 16) -> np.ndarray:
    """Row codes: the bytes of each row as digits of a mixed-radix number (Horner's rule).

    Runs over blocks of ``step`` rows, so the running sum stays in the CPU cache while every
    byte position is added in (about twice as fast as whole-column passes at 10M rows).
    """
    varying = [int(j) for j in np.flatnonzero(radix > 1)]
    out = np.zeros(n, dtype=np.intp)
    if not varying:
        return out
    size = int(np.prod(radix))
    # the sum runs on raw bytes (up to 255 per digit); their offsets come off once at the end
    acc_type = np.int32 if 256 * size < 2**31 else np.int64
    shift = 0
    for j in varying:
        shift = shift * int(radix[j]) + (0 if can_pad[j] else int(lo[j]))
    acc = np.empty(min(step, n), dtype=acc_type)
    digit = np.empty(min(step, n), dtype=acc_type) if can_pad.any() else None
    for start in range(0, n, step):
        rows = block[start:start + step]
        a = acc[:len(rows)]
        a[:] = 0
        for j in varying:
            a *= int(radix[j])
            if can_pad[j]:  # empty (0) -> digit 0, byte b -> b - lo + 1
                d = digit[:len(rows)]
                np.subtract(rows[:, j], int(lo[j]) - 1, out=d, dtype=acc_type, casting="unsafe")
                np.maximum(d, 0, out=d)
                a += d
            else:
                a += rows[:, j]
        np.subtract(a, shift, out=out[start:start + len(rows)], casting="unsafe")
    return out


def _text_labels(slots: np.ndarray, lo: np.ndarray, radix: np.ndarray, can_pad: np.ndarray, dtype) -> pd.Index:
    """The ids of the given slots: each digit turned back into its byte."""
    import pyarrow as pa

    m, width = len(slots), len(radix)
    block = np.empty((m, width), dtype=np.uint8)
    block[:] = lo  # positions that never vary
    rem = np.asarray(slots, dtype=np.int32 if int(np.prod(radix)) < 2**31 else np.int64)
    for j in np.flatnonzero(radix > 1)[::-1]:
        r = int(radix[j])
        quotient = rem // r  # (// and * by a constant are faster than np.divmod)
        digit = rem - quotient * r
        rem = quotient
        if can_pad[j]:
            block[:, j] = np.where(digit == 0, 0, digit + (int(lo[j]) - 1))
        else:
            block[:, j] = digit + int(lo[j])
    if can_pad.any():
        filled = block != 0
        lengths = filled.sum(axis=1)
        data = block[filled]
    else:
        lengths = np.full(m, width)
        data = block.ravel()
    offsets = np.zeros(m + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    arr = pa.LargeStringArray.from_buffers(m, pa.py_buffer(offsets), pa.py_buffer(np.ascontiguousarray(data)))
    return pd.Index(pd.array(arr, dtype=dtype))


# ----------------------------------------------------------------------------- hashing
def _hashed_codes(ids: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """``pd.factorize(sort=True)``; text ids up to 8 bytes hash as 64-bit integers first."""
    fast = _short_string_codes(ids)
    if fast is not None:
        return fast
    codes, uniques = pd.factorize(ids, sort=True)
    return codes.astype(np.intp, copy=False), uniques


def _short_string_codes(ids: pd.Series) -> tuple[np.ndarray, pd.Index] | None:
    """Text ids up to 8 bytes: their UTF-8 bytes read big-endian are integers in string order."""
    dtype = ids.dtype
    if not (isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow") or len(ids) < 50_000:
        return None
    arrow = _arrow_strings(ids)
    if arrow is None:
        return None
    n, offsets, data = arrow
    lengths = np.diff(offsets)
    if lengths.min() < 1 or lengths.max() > 8:
        return None
    if not data[offsets[0]:offsets[-1]].all():  # a NUL byte would collide with the zero padding
        return None
    if lengths.min() == lengths.max():
        # fixed-width ids: one reshape, then read each row's 8 bytes big-endian
        width = int(lengths[0])
        block = np.zeros((n, 8), dtype=np.uint8)
        block[:, :width] = data[offsets[0]:offsets[-1]].reshape(n, width)
        key = block.view(">u8").ravel().astype(np.uint64)
        del block
    else:
        key = np.zeros(n, dtype=np.uint64)
        pos = offsets[:-1].astype(np.int64)
        byte = np.empty(n, dtype=np.uint64)
        for j in range(int(lengths.max())):  # big-endian: byte j is worth 256 ** (7 - j); missing bytes stay 0
            has = lengths > j
            byte[:] = 0
            byte[has] = data[pos[has]]
            byte <<= np.uint64(8 * (7 - j))
            key |= byte
            pos += 1
        del byte, pos, lengths
    codes, keys = pd.factorize(key)
    rep = np.empty(len(keys), dtype=np.int64)
    rep[codes] = np.arange(n)  # one row holding each distinct id
    order = np.argsort(keys)  # integer order == string order
    rank = np.empty(len(order), dtype=np.intp)
    rank[order] = np.arange(len(order))
    return rank[codes], pd.Index(ids.array.take(rep[order]))
