"""Compiled inner loops: the dynamic programs whose every cell depends on its neighbours, which
numpy can only run one row at a time (a few microseconds of call overhead per row, hundreds of
rows per pair, tens of thousands of pairs per scan).

They are plain Python loops over numpy arrays, compiled to machine code by numba and cached
on disk (``cache=True``). Loading numba and the cached code still takes most of a second, more
than a few hundred rows of numpy cost, so each process answers its first calls with the numpy
version of the same program (same arithmetic in the same order: bit-identical answers, as a
test checks) and loads the compiled one only once it has shown it has many calls to make. A
`provenance check` of one article never loads it; a scan of thousands of pairs does at once.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt

from provenance.model import HashArray

WeightArray = npt.NDArray[np.float64]
Matrix = npt.NDArray[np.float64]


#: Pairs of articles ``(i, j)`` are coded as one integer, ``i * PAIR_SHIFT + j`` (article
#: positions are far below it).
PAIR_SHIFT = 1 << 31
#: Calls a process answers in numpy before it loads the compiled programs.
CALLS_BEFORE_COMPILING = 100
#: Calls made in this process so far: says when to switch, never changes an answer.
_calls = itertools.count()


def use_compiled() -> None:
    """Answer every call from now on with the compiled programs: for a process about to
    make many calls, or to fork workers that will (loaded before the fork, the code is
    shared by all, not loaded by each: about 120 MB apiece)."""
    global _calls
    _calls = itertools.count(CALLS_BEFORE_COMPILING)


def compiling() -> bool:
    """Has this process made calls enough to answer this one with a compiled program? (It
    counts the call.)"""
    return next(_calls) >= CALLS_BEFORE_COMPILING


#: Cells of one dynamic program worth loading the compiled programs for at once: numpy's
#: row at a time costs 5 to 7 ns a cell, the compiled loop about 0.6, and loading it half a
#: second. Two 10,000-word articles make such a call; two news stories a four-hundredth.
CELLS_WORTH_COMPILING = 100_000_000


def compiling_for(cells: int) -> bool:
    """:func:`compiling`, for a dynamic program of ``cells`` cells: one that large loads
    the compiled programs at once (and every later call uses them)."""
    if cells >= CELLS_WORTH_COMPILING:
        use_compiled()
    return compiling()


def hash_table(values: HashArray) -> npt.NDArray[np.int64]:
    """Compiled: an open-addressing table over ``values`` (distinct hashes), for
    :func:`hash_places`: slot ``v & (size - 1)`` or the next free one holds ``v``'s place."""
    table: npt.NDArray[np.int64] = _compiled(_hash_table)(values)
    return table


def _hash_table(values: Any) -> Any:
    size = 2
    while size < 2 * values.size:
        size *= 2
    mask = np.uint64(size - 1)
    table = np.full(size, -1, dtype=np.int64)
    for place in range(values.size):
        slot = np.int64(values[place] & mask)
        while table[slot] != -1:
            slot = (slot + 1) & (size - 1)
        table[slot] = place
    return table


def hash_places(table: npt.NDArray[np.int64], values: HashArray, queries: HashArray
                ) -> npt.NDArray[np.int64]:
    """Compiled: where each of ``queries`` is among ``values``, through their
    :func:`hash_table`; -1 where it is not."""
    places: npt.NDArray[np.int64] = _compiled(_hash_places)(table, values, queries)
    return places


def _hash_places(table: Any, values: Any, queries: Any) -> Any:
    mask = np.uint64(table.size - 1)
    places = np.empty(queries.size, dtype=np.int64)
    for n in range(queries.size):
        slot = np.int64(queries[n] & mask)
        while table[slot] != -1 and values[table[slot]] != queries[n]:
            slot = (slot + 1) & (table.size - 1)
        places[n] = table[slot]
    return places


def document_counts(values: HashArray, offsets: npt.NDArray[np.int64]
                    ) -> tuple[HashArray, npt.NDArray[np.int64]]:
    """Compiled: the distinct values of the sets ``values[offsets[s]:offsets[s + 1]]``
    (repeats allowed within a set), in no particular order, and how many sets hold each:
    one pass through a hash table on the values' low bits, where sorting each set and then
    all of them takes two sorts of every value."""
    counted: tuple[HashArray, npt.NDArray[np.int64]] = _compiled(_document_counts)(
        values, offsets)
    return counted


def _document_counts(values: Any, offsets: Any) -> Any:
    # A slot is a row (value, last set it was met in, sets met in; 0 when the slot is
    # free): one cache line a probe. The table grows to stay at most half full.
    table = np.zeros((16, 3), dtype=np.int64)
    kinds = 0
    for s in range(offsets.size - 1):
        for n in range(offsets[s], offsets[s + 1]):
            value = np.int64(values[n])
            mask = table.shape[0] - 1
            slot = value & mask
            while table[slot, 2] != 0 and table[slot, 0] != value:
                slot = (slot + 1) & mask
            if table[slot, 2] == 0:
                table[slot, 0], table[slot, 1], table[slot, 2] = value, s, 1
                kinds += 1
                if 2 * kinds > table.shape[0]:  # grow: every row to its slot in twice the size
                    grown = np.zeros((2 * table.shape[0], 3), dtype=np.int64)
                    mask = grown.shape[0] - 1
                    for row in range(table.shape[0]):
                        if table[row, 2] != 0:
                            slot = table[row, 0] & mask
                            while grown[slot, 2] != 0:
                                slot = (slot + 1) & mask
                            grown[slot] = table[row]
                    table = grown
            elif table[slot, 1] != s:
                table[slot, 1] = s
                table[slot, 2] += 1
    used = table[:, 2] != 0
    return table[used, 0].view(np.uint64), table[used, 2].copy()


def merged_counts(ours: HashArray, our_counts: npt.NDArray[np.int64], theirs: HashArray,
                  their_counts: npt.NDArray[np.int64]
                  ) -> tuple[HashArray, npt.NDArray[np.int64]]:
    """Compiled: the union of two sorted arrays of distinct values, sorted, each value with
    the sum of its counts in the two: one merge pass, where a sort of both together costs
    a comparison sort's log factor and its mispredicted branches."""
    merged: tuple[HashArray, npt.NDArray[np.int64]] = _compiled(_merged_counts)(
        ours, our_counts, theirs, their_counts)
    return merged


def _merged_counts(ours: Any, our_counts: Any, theirs: Any, their_counts: Any) -> Any:
    values = np.empty(ours.size + theirs.size, dtype=np.uint64)
    counts = np.empty(ours.size + theirs.size, dtype=np.int64)
    i = j = size = 0
    while i < ours.size or j < theirs.size:
        if j == theirs.size or (i < ours.size and ours[i] < theirs[j]):
            values[size], counts[size] = ours[i], our_counts[i]
            i += 1
        elif i == ours.size or theirs[j] < ours[i]:
            values[size], counts[size] = theirs[j], their_counts[j]
            j += 1
        else:
            values[size], counts[size] = ours[i], our_counts[i] + their_counts[j]
            i += 1
            j += 1
        size += 1
    return values[:size].copy(), counts[:size].copy()


def distinct_sets(values: HashArray, offsets: npt.NDArray[np.int64]
                  ) -> tuple[HashArray, npt.NDArray[np.int64]]:
    """Compiled: the distinct values of each set ``values[offsets[s]:offsets[s + 1]]``,
    sorted, flat, and the offsets of the sets they make. Repeats are dropped first, through
    a hash table, and the distinct values sorted by their bytes (a radix sort: a comparison
    sort of hashes mispredicts a branch at every other step, and costs several times more)."""
    found: tuple[HashArray, npt.NDArray[np.int64]] = _compiled(_distinct_sets)(values, offsets)
    return found


def _distinct_sets(values: Any, offsets: Any) -> Any:
    kept = np.empty(values.size, dtype=np.uint64)
    kept_offsets = np.zeros(offsets.size, dtype=np.int64)
    table = np.full(16, -1, dtype=np.int64)  # a slot holds a place among the kept
    spare = np.empty(values.size, dtype=np.uint64)
    digits = np.empty((8, 256), dtype=np.int64)
    count = 0
    for s in range(offsets.size - 1):
        size = 16
        while size < 2 * (offsets[s + 1] - offsets[s]):
            size *= 2
        if table.size < size:
            table = np.full(size, -1, dtype=np.int64)
        first = count
        for n in range(offsets[s], offsets[s + 1]):
            value = values[n]
            slot = np.int64(value & np.uint64(size - 1))
            while table[slot] != -1 and kept[table[slot]] != value:
                slot = (slot + 1) & (size - 1)
            if table[slot] == -1:
                table[slot] = count
                kept[count] = value
                count += 1
        table[:size] = -1
        # Least significant byte first: each pass places the values by one byte, in
        # the order the last pass left them.
        digits[:] = 0
        for n in range(first, count):
            for byte in range(8):
                digits[byte, (kept[n] >> np.uint64(8 * byte)) & np.uint64(255)] += 1
        for byte in range(8):
            starts = first
            for digit in range(256):
                starts, digits[byte, digit] = starts + digits[byte, digit], starts
        source, target = kept, spare
        for byte in range(8):
            for n in range(first, count):
                digit = (source[n] >> np.uint64(8 * byte)) & np.uint64(255)
                target[digits[byte, digit]] = source[n]
                digits[byte, digit] += 1
            source, target = target, source
        kept_offsets[s + 1] = count  # after 8 passes (even), the values are back in kept
    return kept[:count].copy(), kept_offsets


def ascii_sentences(codes: npt.NDArray[np.uint8]) -> npt.NDArray[np.int64] | None:
    """Compiled :func:`sentences.sentences` of an ASCII text given as its bytes: rows
    ``(start, end)``; None while this process still answers in Python. The rules are the
    regular expressions' of that module, spelled out for the ASCII characters (where a
    script terminator never occurs and ``\\s`` and ``\\w`` are fixed sets)."""
    if not compiling():
        return None
    spans: npt.NDArray[np.int64] = _compiled(_ascii_sentences)(codes)
    return spans


def _ascii_sentences(codes: Any) -> Any:
    n = codes.size
    # White space as Python's str.isspace() has it for ASCII, and \w's characters.
    space = np.zeros(256, dtype=np.bool_)
    for c in (9, 10, 11, 12, 13, 28, 29, 30, 31, 32):
        space[c] = True
    word = np.zeros(256, dtype=np.bool_)
    word[48:58] = word[65:91] = word[97:123] = word[95] = True
    spans = np.empty((n + 1, 2), dtype=np.int64)
    count = 0
    start = 0  # where the sentence being read starts
    matched_to = 0  # where the last boundary ends: none is looked for inside it
    for p in range(n + 1):
        if p < n:
            c = codes[p]
            if p < matched_to or not (c == 10 or c == 33 or c == 46 or c == 63):
                continue
            # A boundary: a line break; or a run of terminators and closing quotes or
            # brackets followed by white space or the end.
            end = p + 1
            if c != 10:
                while end < n and (codes[end] == 33 or codes[end] == 46 or codes[end] == 63):
                    end += 1
                while end < n and (codes[end] == 34 or codes[end] == 39 or codes[end] == 41
                                   or codes[end] == 93):
                    end += 1
                if end < n and not space[codes[end]]:
                    continue
            matched_to = end
            if c == 46 and end == p + 1 and _ascii_abbreviation_before(codes, p, space):
                continue
            # White space on the same line, then a lower-case letter: inside a sentence.
            after = end
            while after < n and (codes[after] == 32 or codes[after] == 9):
                after += 1
            if after > end and after < n and 97 <= codes[after] <= 122:
                continue
        else:
            end = n
        # The piece start:end, without its surrounding white space, if it holds a word.
        first, last = start, end
        holds_word = False
        for q in range(first, last):
            if word[codes[q]]:
                holds_word = True
                break
        if holds_word:
            while space[codes[first]]:
                first += 1
            while space[codes[last - 1]]:
                last -= 1
            spans[count, 0], spans[count, 1] = first, last
            count += 1
        start = end
    return spans[:count].copy()


def _ascii_abbreviation_before(codes: Any, stop: int, space: Any) -> bool:
    """:func:`sentences._after_abbreviation` in ASCII: does a capitalised word of at most
    three letters, or capitals joined by full stops (``U.S``), preceded by white space, an
    opening bracket or the start of the text, end at ``stop`` (or just before a line break
    there, as ``$`` allows), starting at most ``_ABBREVIATION_REACH`` before it?"""
    reach = max(0, stop - 64)
    for end in (stop, stop - 1):
        if end < 1 or (end == stop - 1 and codes[end] != 10):
            continue
        # A capital and up to two more letters.
        for length in range(1, 4):
            token = end - length
            if token < 0:
                break
            letters = True
            for q in range(token + 1, end):
                letter = codes[q]
                if not (65 <= letter <= 90 or 97 <= letter <= 122):
                    letters = False
            if (letters and 65 <= codes[token] <= 90
                    and _opens_token(codes, token, reach, space)):
                return True
        # Capitals joined by full stops: U.S, U.S.A.
        if 65 <= codes[end - 1] <= 90:
            token = end - 1
            while token >= 2 and codes[token - 1] == 46 and 65 <= codes[token - 2] <= 90:
                token -= 2
                if _opens_token(codes, token, reach, space):
                    return True
    return False


def _opens_token(codes: Any, token: int, reach: int, space: Any) -> bool:
    """Is the word at ``token`` preceded by white space or ``(`` (at or after ``reach``),
    or at the start of the text?"""
    if token == 0:
        return reach == 0
    return token - 1 >= reach and (space[codes[token - 1]] or codes[token - 1] == 40)


def heaviest_common_subsequence(ours: HashArray, weights: WeightArray,
                                theirs: HashArray) -> float:
    """The largest total weight of a common subsequence of ``ours`` and ``theirs`` (equal
    values match; ``weights[i]`` is what matching ``ours[i]`` is worth): a weighted longest
    common subsequence."""
    if ours.size == 0 or theirs.size == 0:
        return 0.0
    if not compiling_for(ours.size * theirs.size):
        return _heaviest_common_subsequence_by_rows(ours, weights, theirs)
    return float(_compiled(_heaviest_common_subsequence)(ours, weights, theirs))


def _heaviest_common_subsequence_by_rows(ours: HashArray, weights: WeightArray,
                                         theirs: HashArray) -> float:
    best = np.zeros(theirs.size + 1)
    for word, weight in zip(ours, weights, strict=True):
        # best[j] = max(above, left, diagonal + weight where the words match): a running
        # maximum along the row, so each row is one vector operation.
        step = np.maximum(best[1:], best[:-1] + np.where(theirs == word, weight, -np.inf))
        best[1:] = np.maximum.accumulate(step)
    return float(best[-1])


def _heaviest_common_subsequence(ours: Any, weights: Any, theirs: Any) -> float:
    # best[j]: the answer for the rows so far against theirs[:j]; updated in place, row by
    # row, with the previous row's best[j] kept as the next cell's diagonal.
    best = np.zeros(theirs.size + 1)
    for i in range(ours.size):
        word, weight = ours[i], weights[i]
        diagonal = 0.0
        for j in range(theirs.size):
            up = best[j + 1]
            value = up if up > best[j] else best[j]
            if theirs[j] == word and diagonal + weight > value:
                value = diagonal + weight
            diagonal = up
            best[j + 1] = value
    return float(best[theirs.size])


def order_preserving_alignment(similarity: Matrix, threshold: float
                               ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """The rows and columns of the cells, in order, of the order-preserving one-to-one
    matching of rows to columns with the largest summed ``similarity`` over cells at or
    above ``threshold``: sequence alignment with free gaps, by dynamic programming."""
    if similarity.size == 0:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    rows: npt.NDArray[np.int64]
    columns: npt.NDArray[np.int64]
    if not compiling_for(similarity.size):
        rows, columns = _trace_back(_alignment_table_by_rows(similarity, threshold))
    else:
        rows, columns = _compiled(_trace_back)(
            _compiled(_alignment_table)(similarity, threshold))
    return rows, columns


def _alignment_table_by_rows(similarity: Matrix, threshold: float) -> Matrix:
    rows, columns = similarity.shape
    gain = np.where(similarity >= threshold, similarity, -np.inf)
    best = np.zeros((rows + 1, columns + 1))
    for i in range(1, rows + 1):
        # best[i, j] = max(best[i-1, j], best[i, j-1], best[i-1, j-1] + gain[i-1, j-1]); the
        # middle term makes each row a running maximum, so a whole row is computed at once.
        step = np.maximum(best[i - 1, 1:], best[i - 1, :-1] + gain[i - 1])
        best[i, 1:] = np.maximum.accumulate(step)
    return best


def _alignment_table(similarity: Any, threshold: float) -> Any:
    rows, columns = similarity.shape
    best = np.zeros((rows + 1, columns + 1))
    for i in range(1, rows + 1):
        running = 0.0
        for j in range(columns):
            # The row program's arithmetic, cell by cell: the same sums and maxima.
            cell = similarity[i - 1, j]
            diagonal = best[i - 1, j] + (cell if cell >= threshold else -np.inf)
            step = max(best[i - 1, j + 1], diagonal)
            running = step if j == 0 else max(running, step)
            best[i, j + 1] = running
    return best


def _trace_back(best: Any) -> Any:
    """The matched cells of an alignment table, walked back from its last cell; run as it
    is, or compiled."""
    rows, columns = best.shape[0] - 1, best.shape[1] - 1
    matched_rows = np.empty(min(rows, columns), dtype=np.int64)
    matched_columns = np.empty(min(rows, columns), dtype=np.int64)
    found = 0
    i, j = rows, columns
    while i > 0 and j > 0:
        if best[i, j] == best[i - 1, j]:
            i -= 1
        elif best[i, j] == best[i, j - 1]:
            j -= 1
        else:
            i, j = i - 1, j - 1
            matched_rows[found], matched_columns[found] = i, j
            found += 1
    return matched_rows[:found][::-1].copy(), matched_columns[:found][::-1].copy()


def sorted_members(part: HashArray, whole: HashArray) -> npt.NDArray[np.bool_] | None:
    """Compiled ``np.isin(part, whole)`` for two sorted arrays of distinct values, by one
    merge; None while this process still answers in numpy."""
    if not compiling():
        return None
    found: npt.NDArray[np.bool_] = _compiled(_sorted_members)(part, whole)
    return found


def _sorted_members(part: Any, whole: Any) -> Any:
    found = np.zeros(part.size, dtype=np.bool_)
    j = 0
    for i in range(part.size):
        while j < whole.size and whole[j] < part[i]:
            j += 1
        found[i] = j < whole.size and whole[j] == part[i]
    return found


def shared_spans(a: HashArray, b: HashArray, k: int, max_gap: int, max_repeats: int
                 ) -> npt.NDArray[np.int64] | None:
    """Compiled :func:`align.shared_passages` as word spans, rows ``(a_start, a_end,
    b_start, b_end, b_bridged)`` in order of ``(a_start, b_start)``; None while this process
    still answers in numpy."""
    if not compiling():
        return None
    spans: npt.NDArray[np.int64] = _compiled(_shared_spans)(a, b, k, max_gap, max_repeats)
    return spans


def _shared_spans(a: Any, b: Any, k: int, max_gap: int, max_repeats: int) -> Any:
    # The matches (i, j), a[i] == b[j], of values found at most max_repeats times in b: b's
    # positions chained by value in a hash table (open addressing on the hash's low bits,
    # as the values are hashes already), each chain in ascending order.
    size = 2
    while size < 2 * b.size:
        size *= 2
    mask = np.uint64(size - 1)
    slot_value = np.zeros(size, dtype=np.uint64)
    slot_first = np.full(size, -1, dtype=np.int64)
    next_place = np.full(b.size, -1, dtype=np.int64)
    for j in range(b.size - 1, -1, -1):
        slot = np.int64(b[j] & mask)
        while slot_first[slot] != -1 and slot_value[slot] != b[j]:
            slot = (slot + 1) & (size - 1)
        next_place[j] = slot_first[slot]
        slot_value[slot], slot_first[slot] = b[j], j
    first = np.full(a.size, -1, dtype=np.int64)
    count = 0
    for i in range(a.size):
        slot = np.int64(a[i] & mask)
        while slot_first[slot] != -1 and slot_value[slot] != a[i]:
            slot = (slot + 1) & (size - 1)
        held, place = 0, slot_first[slot]
        while place != -1 and held <= max_repeats:
            held += 1
            place = next_place[place]
        if held <= max_repeats:
            first[i] = slot_first[slot]
            count += held
    match_i = np.empty(count, dtype=np.int64)
    diagonal = np.empty(count, dtype=np.int64)
    m = 0
    for i in range(a.size):
        place = first[i]
        while place != -1:
            match_i[m], diagonal[m] = i, place - i
            m += 1
            place = next_place[place]
    # Runs of consecutive matches along one diagonal, found in (diagonal, i) order, sorted
    # as one key (each (diagonal, i) is one match). Below, the orders of a few spans by
    # several keys come from stable sorts, as numba has no lexsort.
    by = np.argsort((diagonal + a.size) * (a.size + 1) + match_i)
    runs = np.empty((count, 4), dtype=np.int64)
    found = 0
    start = 0
    while start < count:
        end = start
        while (end + 1 < count and diagonal[by[end + 1]] == diagonal[by[start]]
               and match_i[by[end + 1]] == match_i[by[end]] + 1):
            end += 1
        first, last, shift = match_i[by[start]], match_i[by[end]], diagonal[by[start]]
        runs[found] = (first, last + k, first + shift, last + shift + k)
        found += 1
        start = end + 1
    # Runs that follow each other closely in both texts merge, taken in (a, b) order, each
    # into the latest earlier passage it continues, which counts the words of b it bridges.
    runs = runs[:found]
    by = np.argsort(runs[:, 2], kind="mergesort")
    runs = runs[by[np.argsort(runs[by, 0], kind="mergesort")]]
    merged = np.zeros((found, 5), dtype=np.int64)
    kept = 0
    for r in range(found):
        joined = False
        for index in range(kept - 1, -1, -1):
            gap_a, gap_b = runs[r, 0] - merged[index, 1], runs[r, 2] - merged[index, 3]
            if 0 <= gap_a <= max_gap and 0 <= gap_b <= max_gap:
                merged[index, 1], merged[index, 3] = runs[r, 1], runs[r, 3]
                merged[index, 4] += gap_b
                joined = True
                break
        if not joined:
            merged[kept, :4] = runs[r]
            kept += 1
    # Where passages overlap, the longest wins (then the first in a, then in b).
    merged = merged[:kept]
    by = np.argsort(merged[:, 2], kind="mergesort")
    by = by[np.argsort(merged[by, 0], kind="mergesort")]
    by = by[np.argsort(merged[by, 0] - merged[by, 1], kind="mergesort")]
    chosen = np.empty((kept, 5), dtype=np.int64)
    taken = 0
    for index in by:
        span = merged[index]
        free = True
        for c in range(taken):
            if ((span[0] < chosen[c, 1] and chosen[c, 0] < span[1])
                    or (span[2] < chosen[c, 3] and chosen[c, 2] < span[3])):
                free = False
                break
        if free:
            chosen[taken] = span
            taken += 1
    chosen = chosen[:taken]
    by = np.argsort(chosen[:, 2], kind="mergesort")
    return chosen[by[np.argsort(chosen[by, 0], kind="mergesort")]]


def sentence_vectors(places: npt.NDArray[np.int64], bounds: npt.NDArray[np.int64],
                     distinct: HashArray, weights: WeightArray
                     ) -> tuple[HashArray, npt.NDArray[np.int64], WeightArray,
                                WeightArray] | None:
    """Compiled :meth:`sentence_align.SentenceVectors.of`: the distinct (term, sentence)
    entries of the sentences ``distinct[places[bounds[s]:bounds[s + 1]]]``, sorted by term
    then sentence, each with its term's squared weight (``weights[i]`` weighs
    ``distinct[i]``), and each sentence's norm. None while this process still answers in
    numpy."""
    if not compiling():
        return None
    vectors: tuple[HashArray, npt.NDArray[np.int64], WeightArray, WeightArray]
    vectors = _compiled(_sentence_vectors)(places, bounds, distinct, weights)
    return vectors


def _sentence_vectors(places: Any, bounds: Any, distinct: Any, weights: Any) -> Any:
    # A counting sort by place among the distinct terms (so by term), stable: each term's
    # entries stay in text order, so in sentence order.
    starts = np.zeros(distinct.size + 1, dtype=np.int64)
    for n in range(places.size):
        starts[places[n] + 1] += 1
    starts = np.cumsum(starts)
    by_term = np.empty(places.size, dtype=np.int64)
    sentence = np.empty(places.size, dtype=np.int64)
    for s in range(bounds.size - 1):
        for n in range(bounds[s], bounds[s + 1]):
            by_term[starts[places[n]]] = s
            starts[places[n]] += 1
    kept_terms = np.empty(places.size, dtype=np.uint64)
    squared = np.empty(places.size)
    kept = 0
    entry = 0
    for p in range(distinct.size):
        end = starts[p]  # where term p's entries end, after the fill
        previous = -1
        while entry < end:
            if by_term[entry] != previous:  # one entry per (term, sentence)
                previous = by_term[entry]
                kept_terms[kept], sentence[kept] = distinct[p], previous
                squared[kept] = weights[p] * weights[p]
                kept += 1
            entry += 1
    norms = np.zeros(bounds.size - 1)
    for n in range(kept):  # in entry order, as numpy's bincount adds
        norms[sentence[n]] += squared[n]
    return (kept_terms[:kept].copy(), sentence[:kept].copy(), squared[:kept].copy(),
            np.sqrt(norms))


def sentence_cosines(row_terms: HashArray, row_sentences: npt.NDArray[np.int64],
                     row_weights: WeightArray, row_norms: WeightArray, column_terms: HashArray,
                     column_sentences: npt.NDArray[np.int64], column_norms: WeightArray
                     ) -> Matrix | None:
    """Compiled :func:`sentence_align._cosines`: the dot product of each row sentence with
    each column sentence (the sum of ``row_weights[r]`` over entries ``r`` and ``c`` of one
    term, into cell ``(row_sentences[r], column_sentences[c])``) over the product of their
    norms, clipped to [0, 1]; None while this process still answers in numpy."""
    # numpy forms the entries of every shared term's pairs of places at once: for two long
    # texts, gigabytes. Their count is bounded by the product of the two term lists.
    if not compiling_for(row_terms.size * column_terms.size):
        return None
    cosines: Matrix = _compiled(_sentence_cosines)(
        row_terms, row_sentences, row_weights, row_norms, column_terms, column_sentences,
        column_norms)
    return cosines


def _sentence_cosines(row_terms: Any, row_sentences: Any, row_weights: Any, row_norms: Any,
                      column_terms: Any, column_sentences: Any, column_norms: Any) -> Any:
    rows, columns = row_norms.size, column_norms.size
    dots = np.zeros(rows * columns)
    # Both sorted by term: one merge pass, adding in the order numpy's bincount adds.
    j = 0
    for r in range(row_terms.size):
        term = row_terms[r]
        while j < column_terms.size and column_terms[j] < term:
            j += 1
        c = j
        while c < column_terms.size and column_terms[c] == term:
            dots[row_sentences[r] * columns + column_sentences[c]] += row_weights[r]
            c += 1
    # Each dot product made its cosine in place: a long pair's matrix is held once.
    for r in range(rows):
        for c in range(columns):
            norm = row_norms[r] * column_norms[c]
            cell = r * columns + c
            dots[cell] = min(max(dots[cell] / norm, 0.0), 1.0) if norm > 0 else 0.0
    return dots.reshape(rows, columns)


def containments(words: npt.NDArray[np.uint32], weight_of: WeightArray,
                 offsets: npt.NDArray[np.int64], parts: npt.NDArray[np.int64],
                 wholes: npt.NDArray[np.int64]) -> WeightArray:
    """For each ``p``: the weighted share of set ``parts[p]``'s words found in set
    ``wholes[p]``, where set ``s`` is the sorted ``words[offsets[s]:offsets[s + 1]]`` (word
    ids) and word ``w`` weighs ``weight_of[w]`` (0 for an empty or weightless set)."""
    program = (_compiled(_containments) if parts.size >= CALLS_BEFORE_COMPILING
               else _containments_by_pairs)
    shares: WeightArray = program(words, weight_of, offsets, parts, wholes)
    return shares


def _containments_by_pairs(words: npt.NDArray[np.uint32], weight_of: WeightArray,
                           offsets: npt.NDArray[np.int64], parts: npt.NDArray[np.int64],
                           wholes: npt.NDArray[np.int64]) -> WeightArray:
    shares = np.zeros(parts.size)
    for p, (part, whole) in enumerate(zip(parts.tolist(), wholes.tolist(), strict=True)):
        ours = words[offsets[part]:offsets[part + 1]]
        found = np.isin(ours, words[offsets[whole]:offsets[whole + 1]])
        weights = weight_of[ours]
        # Running sums: added in order, as the compiled loop adds.
        total = np.cumsum(weights)
        shared = np.cumsum(weights[found])
        if total.size and total[-1] > 0:
            shares[p] = (shared[-1] if shared.size else 0.0) / total[-1]
    return shares


def _containments(words: Any, weight_of: Any, offsets: Any, parts: Any, wholes: Any) -> Any:
    shares = np.zeros(parts.size)
    for p in range(parts.size):
        i, end = offsets[parts[p]], offsets[parts[p] + 1]
        j, their_end = offsets[wholes[p]], offsets[wholes[p] + 1]
        shared = 0.0
        total = 0.0
        # Both sets sorted: one merge pass finds the words they share.
        while i < end:
            weight = weight_of[words[i]]
            while j < their_end and words[j] < words[i]:
                j += 1
            if j < their_end and words[j] == words[i]:
                shared += weight
            total += weight
            i += 1
        if total > 0:
            shares[p] = shared / total
    return shares


def pairs_sharing_keys(offsets: npt.NDArray[np.int64], place: npt.NDArray[np.int32],
                       later: npt.NDArray[np.int32], members: npt.NDArray[np.int32],
                       min_shared: int) -> npt.NDArray[np.int64]:
    """The codes ``i * PAIR_SHIFT + j``, sorted, of the pairs of articles ``i < j`` sharing at
    least ``min_shared`` keys. Article ``i``'s keys are the entries
    ``offsets[i]:offsets[i + 1]``; entry ``e``'s later holders are
    ``members[place[e] + 1:place[e] + 1 + later[e]]``.

    Counted one article at a time in a table of partners, so memory is one count per
    article, however many pairs the keys expand into (see :func:`index.shared_key_pairs`).
    """
    codes: npt.NDArray[np.int64] = _compiled(_pairs_sharing_keys)(
        offsets, place, later, members, min_shared)
    return codes


def _pairs_sharing_keys(offsets: Any, place: Any, later: Any, members: Any,
                        min_shared: int) -> Any:
    articles = offsets.size - 1
    shared = np.zeros(articles, dtype=np.int32)  # small, so that it stays in cache
    touched = np.empty(articles, dtype=np.int64)
    codes = np.empty(1024, dtype=np.int64)
    found = 0
    for article in range(articles):
        partners = 0
        first_met = found
        for entry in range(offsets[article], offsets[article + 1]):
            for member in range(place[entry] + 1, place[entry] + 1 + later[entry]):
                partner = members[member]
                if partner == article:  # an article holding a key twice
                    continue
                if shared[partner] == 0:
                    touched[partners] = partner
                    partners += 1
                shared[partner] += 1
                if shared[partner] == min_shared:  # counted once, as it gets there
                    if found == codes.size:
                        codes = np.concatenate((codes, np.empty_like(codes)))
                    codes[found] = article * PAIR_SHIFT + partner
                    found += 1
        codes[first_met:found].sort()
        for n in range(partners):
            shared[touched[n]] = 0
    return codes[:found].copy()


#: Functions the compiled programs call: compiled in their place first, so that the
#: programs calling them compile.
_HELPERS = ("_ascii_abbreviation_before", "_opens_token")


@functools.cache
def _compiled(function: Callable[..., Any]) -> Callable[..., Any]:
    import numba

    _compile_helpers()
    compiled: Callable[..., Any] = numba.njit(cache=True, nogil=True)(function)
    return compiled


@functools.cache
def _compile_helpers() -> None:
    import numba

    for name in _HELPERS:
        globals()[name] = numba.njit(cache=True, nogil=True)(globals()[name])
