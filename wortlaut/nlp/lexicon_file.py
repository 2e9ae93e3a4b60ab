"""The tagger lexicon's file format: HanTa's precomputed word analyses as an .npz of plain arrays, read with
allow_pickle=False, so loading it can run no code. `training.tagger_lexicon` builds the memos it stores."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from itertools import pairwise
from pathlib import Path
from typing import Any

import numpy as np

LEXICON_FILE = "tagger_lexicon.npz"
#: Bumped whenever the arrays below change meaning; a reader refuses other versions.
FORMAT_VERSION = 1


# The format. Every memo maps a key to a value:
#   candidates (word, cutoff, casesensitive, conditional) → [(tag, log probability), ...]
#   lemmas     (word, tag) → lemma
#   forwards   word → [(tag, log probability), ...]
#   paths      (word, tag) → [(morpheme tag, end), ...]
# Strings (words and lemmas) are stored once, in `strings`; a memo stores its keys column by column
# (`<memo>.key0` the word's string number, `.key1`… the numbers and flags) and its values as string
# numbers or, for lists, as numbers of its distinct lists (`.bounds` cut `.items` into lists of numbers of
# its distinct pairs `.first`/`.second`). Sharing every distinct string, pair and list keeps the file small
# and the loaded memos to far fewer objects; HanTa only reads the lists it gets, so sharing them is safe.

#: A memo's key: the word alone or a tuple starting with it.
MemoKey = str | tuple[str | int | bool, ...]
#: A memo's value: a lemma, or a list of (tag, log probability) or (morpheme tag, end) pairs.
MemoValue = str | Sequence[tuple[int, float]]
Memo = dict[MemoKey, MemoValue]


class _Numbering:
    """Numbers distinct values in order of first appearance."""

    def __init__(self) -> None:
        self.numbers: dict[Any, int] = {}
        self.values: list[Any] = []

    def number(self, value: Any, identity: Any = None) -> int:
        identity = value if identity is None else identity
        found = self.numbers.get(identity)
        if found is None:
            found = self.numbers[identity] = len(self.values)
            self.values.append(value)
        return found


def save_lexicon(memo: dict[str, Memo], target: Path) -> None:
    """Write the memos as arrays; via a temporary file so a reader never sees half a file."""
    strings = _Numbering()
    arrays = {"version": np.array(FORMAT_VERSION)}
    for name, entries in memo.items():
        arrays.update(_memo_arrays(name, entries, strings))
    arrays.update(_string_arrays(strings.values))
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".tmp")
    _write_npz(tmp, arrays)
    tmp.replace(target)


def _memo_arrays(name: str, entries: Memo, strings: _Numbering) -> dict[str, np.ndarray]:
    keys = [key if isinstance(key, tuple) else (key,) for key in entries]
    width = len(keys[0]) if keys else 1
    arrays = {f"{name}.key0": np.array([strings.number(key[0]) for key in keys], dtype=np.int32)}
    for column in range(1, width):
        arrays[f"{name}.key{column}"] = _number_column([key[column] for key in keys])
    values = list(entries.values())
    if values and isinstance(values[0], str):
        arrays[f"{name}.value"] = np.array([strings.number(value) for value in values], dtype=np.int32)
        return arrays
    pairs, lists = _Numbering(), _Numbering()
    numbered = [[pairs.number(pair, (pair[0], float(pair[1]).hex())) for pair in value] for value in values]
    arrays[f"{name}.value"] = np.array([lists.number(items, tuple(items)) for items in numbered], dtype=np.int32)
    arrays[f"{name}.first"] = _number_column([pair[0] for pair in pairs.values])
    arrays[f"{name}.second"] = _number_column([pair[1] for pair in pairs.values])
    arrays[f"{name}.items"] = np.array([item for items in lists.values for item in items], dtype=np.int32)
    arrays[f"{name}.bounds"] = np.cumsum([0, *map(len, lists.values)], dtype=np.int64)
    return arrays


def _number_column(values: Sequence[object]) -> np.ndarray:
    """Bools stay bools and ints ints (HanTa slices with the ends); anything else is a float64."""
    if all(type(value) is bool for value in values):
        return np.array(values, dtype=bool)
    if all(isinstance(value, (int, np.integer)) and not isinstance(value, bool) for value in values):
        return np.array(values, dtype=np.int64)
    return np.array(values, dtype=np.float64)


def _string_arrays(strings: list[str]) -> dict[str, np.ndarray]:
    """All strings as one UTF-8 text and the character offsets that cut it."""
    text = "".join(strings)
    return {
        "strings": np.frombuffer(text.encode("utf-8", "surrogatepass"), dtype=np.uint8),
        "string_bounds": np.cumsum([0, *map(len, strings)], dtype=np.int64),
    }


def _write_npz(path: Path, arrays: dict[str, np.ndarray]) -> None:
    """An .npz numpy.load reads, with fixed entry dates so equal lexicons give equal bytes."""
    with zipfile.ZipFile(path, "w") as archive:
        for name, array in arrays.items():
            npy = io.BytesIO()
            np.lib.format.write_array(npy, array, allow_pickle=False)
            entry = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            archive.writestr(entry, npy.getvalue(), compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)


def load_lexicon(path: Path) -> dict[str, Memo]:
    """The memos save_lexicon wrote; a file of another format or version is refused with the reason.

    Each array is read only when needed, so at most one is held besides the memos being built.
    """
    try:
        with np.load(path, allow_pickle=False) as data:
            if "version" not in data or int(data["version"]) != FORMAT_VERSION:
                raise ValueError(f"format version {FORMAT_VERSION} expected")
            strings = _strings(data)
            names = dict.fromkeys(name.split(".")[0] for name in data.files if "." in name)
            return {name: _memo(name, data, strings) for name in names}
    except (OSError, ValueError, KeyError, zipfile.BadZipFile) as error:
        raise ValueError(f"{path}: not a tagger lexicon ({error})") from error


def _strings(data: Mapping[str, np.ndarray]) -> list[str]:
    text = data["strings"].tobytes().decode("utf-8", "surrogatepass")
    bounds = data["string_bounds"].tolist()
    return [text[start:end] for start, end in pairwise(bounds)]


def _memo(name: str, data: Mapping[str, np.ndarray], strings: list[str]) -> Memo:
    words = map(strings.__getitem__, data[f"{name}.key0"].tolist())
    others = [data[f"{name}.key{column}"].tolist() for column in range(1, _width(name, data))]
    keys: Iterable[MemoKey] = zip(words, *others) if others else words
    value_numbers = data[f"{name}.value"].tolist()
    if f"{name}.items" not in data:
        return dict(zip(keys, map(strings.__getitem__, value_numbers)))
    pair = list(zip(data[f"{name}.first"].tolist(), data[f"{name}.second"].tolist())).__getitem__
    items, bounds = data[f"{name}.items"].tolist(), data[f"{name}.bounds"].tolist()
    lists = [list(map(pair, items[start:end])) for start, end in pairwise(bounds)]
    return dict(zip(keys, map(lists.__getitem__, value_numbers)))


def _width(name: str, data: Mapping[str, np.ndarray]) -> int:
    """How many columns the memo's keys have; one means the key is the bare word."""
    column = 1
    while f"{name}.key{column}" in data:
        column += 1
    return column
