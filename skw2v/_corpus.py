"""Reading documents once and keeping them as integer ids, in chunks, in temporary files.

``fit`` reads its documents exactly once: each one is tokenized (see
:class:`skw2v._documents.Tokenizer`) and encoded as int32 ids while the words are counted.
The ids are written, one chunk at a time, to a temporary file that every epoch reads back.
Memory therefore holds the word counts, the weights and one chunk (or the longest document,
whichever is larger), never the corpus, and a one-shot generator trains as well as a list.

The temporary files are unlinked as soon as they are created (they have no name in the
directory), so nothing is left behind when the process is interrupted or killed: the
operating system frees them when the last descriptor closes.

With a vocabulary budget (``max_distinct``), counting holds at most about twice that many
distinct words: when the budget is exceeded, the words counted least often so far are
forgotten (their ids become free for new words). Ids in the file are then read back through
the vocabulary as it stood when their chunk was written, so an id reused by another word
never counts for the forgotten one.
"""

from __future__ import annotations

import contextlib
import os
import tempfile

import numpy as np

from ._documents import raise_for_tokens, text_pieces, token_batches
from ._subwords import utf8
from ._text import PRETOKENIZED
from ._token_table import TokenTable, split_texts

#: Characters of str documents tokenized per batch by a whitespace split (see
#: :mod:`skw2v._token_table`).
SPLIT_BATCH_CHARS = 1 << 22

#: Tokens of token-list documents interned per batch (see :meth:`EncodedCorpus._encode_lists`).
LIST_BATCH_TOKENS = 1 << 16

#: Tokens per chunk: the unit of reading, subsampling and thread scheduling.
CHUNK_TOKENS = 1 << 20

_INT32_MAX = np.iinfo(np.int32).max


def _check_id_space(n_ids):
    """Refuse more distinct tokens than int32 ids can number."""
    if n_ids > _INT32_MAX:
        raise ValueError("More than 2**31 - 1 distinct tokens; the corpus cannot be "
                         "encoded. Set max_vocab_size to bound the vocabulary.")


class _Counter(dict):
    """Token -> id, assigning the next free id to a new token (ids of forgotten words first).

    Alongside the dict, arrays indexed by id: the count so far, the order of first
    appearance of the id's current word, and the generation (number of prunes before the
    word got the id).
    """

    def __init__(self):
        super().__init__()
        self.words = []  # the word holding each id, None for a free id
        self.free = []
        self.counts = np.zeros(0, dtype=np.int64)
        self.first_seen = np.zeros(0, dtype=np.int64)
        self.generation = np.zeros(0, dtype=np.int64)
        self.current_generation = 0
        self.n_seen = 0  # distinct words seen, for the order of first appearance

    def __missing__(self, token):
        if self.free:
            slot = self.free.pop()
            self.words[slot] = token
        else:
            slot = len(self.words)
            self.words.append(token)
        self._grow(len(self.words))
        self.first_seen[slot] = self.n_seen
        self.generation[slot] = self.current_generation
        self.n_seen += 1
        self[token] = slot
        return slot

    def _grow(self, size):
        if size > self.counts.shape[0]:
            capacity = max(size, 2 * self.counts.shape[0], 1024)
            for name in ("counts", "first_seen", "generation"):
                old = getattr(self, name)
                new = np.zeros(capacity, dtype=np.int64)
                new[:old.shape[0]] = old
                setattr(self, name, new)

    def count(self, chunk):
        found = np.bincount(chunk, minlength=len(self.words))
        self.counts[:found.shape[0]] += found

    def prune(self, keep):
        """Forget all but the ``keep`` most counted words (ties: the earlier seen stays)."""
        live = np.flatnonzero([word is not None for word in self.words])
        if live.shape[0] <= keep:
            return
        order = np.lexsort((self.first_seen[live], -self.counts[live]))
        for slot in live[order[keep:]].tolist():
            del self[self.words[slot]]
            self.words[slot] = None
            self.counts[slot] = 0
            self.free.append(slot)
        self.free.sort(reverse=True)  # lowest ids are reused first
        self.current_generation += 1


class EncodedCorpus:
    """Documents as int32 ids in chunks of an unlinked temporary file.

    Use as a context manager; the files are closed on exit.

    Parameters
    ----------
    documents : iterable
        The documents.
    tokenize : callable
        ``tokenize(document, where)`` returns the list of str tokens of a document (see
        :class:`skw2v._documents.Tokenizer`).
    max_distinct : int, default=None
        Counting budget: hold at most about ``2 * max_distinct`` distinct words while
        reading, forgetting the least counted ones beyond it. None counts every word exactly.
    chunk_tokens : int, default=None
        Tokens per chunk; None uses :data:`CHUNK_TOKENS`.

    Attributes
    ----------
    words : list of str
        Distinct tokens in order of first appearance (raw id ``i`` is ``words[i]``).
    counts : ndarray of dtype int64
        Number of occurrences of each word (while it was counted, under a budget).
    n_documents, n_tokens : int
        Size of the corpus.
    max_document_tokens : int
        Tokens of the longest document (bounds the context of a position).
    n_pruned : int
        How many times the budget forgot words (0: every count is exact).
    word_hashes : ndarray of dtype int64 or None
        fastText's hash of each word (as ``words``), where the documents were split on
        whitespace (:mod:`skw2v._token_table` computes them on the way); else None.
    """

    def __init__(self, documents, tokenize, *, max_distinct=None, chunk_tokens=None):
        rule = getattr(tokenize, "split_rule", None)
        if max_distinct is None and rule is not None:
            self._encode_split(documents, tokenize, rule, chunk_tokens)
        elif max_distinct is None and getattr(tokenize, "kind", None) == PRETOKENIZED:
            self._encode_lists(documents, tokenize, chunk_tokens)
        else:
            self._encode_counted(documents, tokenize, max_distinct, chunk_tokens)

    def _encode_counted(self, documents, tokenize, max_distinct, chunk_tokens):
        """Encode through a dict of the tokens, under the counting budget ``max_distinct``."""
        self.word_hashes = None
        counter = _Counter()
        lookup = counter.__getitem__
        threshold = None if max_distinct is None else 2 * max_distinct

        def encoded_documents():
            # A long document comes in pieces (Tokenizer.pieces): only a piece's tokens are
            # str objects at a time, the document's ids are int32.
            pieces = getattr(tokenize, "pieces", None) or (lambda d, where: [tokenize(d, where)])
            for position, document in enumerate(documents):
                parts = [np.fromiter(map(lookup, tokens), dtype=np.int32, count=len(tokens))
                         for tokens in pieces(document, f"Document {position}")]
                yield parts[0] if len(parts) == 1 else np.concatenate(parts)

        def after_document():
            return threshold is not None and len(counter) > threshold

        def after_flush(chunk):
            counter.count(chunk)
            generation = counter.current_generation  # the ids of this chunk mean its words
            if threshold is not None and len(counter) > threshold:
                counter.prune(max_distinct)
            _check_id_space(len(counter.words))
            return generation

        self._store(encoded_documents(), after_document, after_flush, chunk_tokens)
        live = np.flatnonzero([word is not None for word in counter.words])
        live = live[np.argsort(counter.first_seen[live], kind="stable")]
        self.words = [counter.words[slot] for slot in live.tolist()]
        self.counts = counter.counts[live].copy()
        self.n_pruned = counter.current_generation
        self.n_ids = len(counter.words)
        self._slot_to_raw = self._slot_generation = None  # without pruning, id == raw id
        if self.n_pruned:
            # Raw id of each id's current word, and the generation it got the id in.
            self._slot_to_raw = np.full(self.n_ids, -1, dtype=np.int64)
            self._slot_to_raw[live] = np.arange(live.shape[0])
            self._slot_generation = counter.generation[:self.n_ids].copy()

    def _encode_lists(self, documents, tokenize, chunk_tokens):
        """Encode token-list documents (``analyzer="pretokenized"``) batch by batch through a
        :class:`~skw2v._token_table.TokenTable`: a batch's tokens are joined, encoded and
        interned at once, without a dict look-up per token; the same ids, in the same order
        of first appearance, as :meth:`_encode_counted` without a budget gives. A token that
        is not a str is named by ``tokenize``, document and all."""
        table = TokenTable()

        def batches():
            for position, batch in token_batches(documents, tokenize, LIST_BATCH_TOKENS,
                                                 check_tokens=False):
                lengths = np.fromiter(map(len, batch), dtype=np.int64, count=len(batch))
                ends = np.cumsum(lengths)
                n_tokens = int(ends[-1])
                try:
                    ids = table.intern_documents(batch, n_tokens).astype(np.int32)
                except TypeError:
                    raise_for_tokens(tokenize, position, batch)
                    raise
                for end, length in zip(ends.tolist(), lengths.tolist(), strict=True):
                    yield ids[end - length:end]

        self._encode_table(table, batches(), chunk_tokens)

    def _encode_split(self, documents, tokenize, rule, chunk_tokens):
        """Encode str documents batch by batch through a :class:`~skw2v._token_table.TokenTable`
        (the analyzer is a whitespace split, ``rule``): the same ids, in the same order of
        first appearance, as :meth:`_encode_counted` without a budget gives."""
        table = TokenTable()

        def batches():
            batch, n_chars = [], 0
            for position, document in enumerate(documents):
                if tokenize.in_pieces(document) and rule.end_token is None:
                    # A long document, piece by piece: its ids, not its text, add up.
                    yield from split(batch)
                    batch, n_chars = [], 0
                    yield np.concatenate([ids for piece in text_pieces(document)
                                          for ids in split([piece])])
                    continue
                if isinstance(document, str):
                    batch.append(document)
                    n_chars += len(document)
                    if n_chars >= SPLIT_BATCH_CHARS:
                        yield from split(batch)
                        batch, n_chars = [], 0
                    continue
                yield from split(batch)
                batch, n_chars = [], 0
                # Not a str: the tokenizer names it in its error (or tokenizes it).
                tokens = tokenize(document, f"Document {position}")
                yield table.intern_encoded([utf8(token) for token in tokens], tokens).astype(
                    np.int32)
            yield from split(batch)

        def split(batch):
            if not batch:
                return
            ids, offsets = split_texts(batch, rule, table, analyzer=tokenize.analyzer)
            ids = ids.astype(np.int32)
            for doc in range(len(batch)):
                yield ids[offsets[doc]:offsets[doc + 1]]

        self._encode_table(table, batches(), chunk_tokens)

    def _encode_table(self, table, encoded_documents, chunk_tokens):
        """Store documents whose ids ``table`` gives (as it grows), and take the words,
        their hashes and counts from it."""
        counts = np.zeros(0, dtype=np.int64)

        def after_flush(chunk):
            nonlocal counts
            if len(table) > counts.shape[0]:
                counts = np.concatenate([counts, np.zeros(len(table) - counts.shape[0],
                                                          dtype=np.int64)])
            counts += np.bincount(chunk, minlength=counts.shape[0])
            _check_id_space(len(table))
            return 0

        self._store(encoded_documents, lambda: False, after_flush, chunk_tokens)
        self.words = table.words()
        self.word_hashes = table.hashes.copy()
        self.counts = np.zeros(len(self.words), dtype=np.int64)
        self.counts[:counts.shape[0]] = counts
        self.n_pruned = 0
        self.n_ids = len(self.words)
        self._slot_to_raw = self._slot_generation = None

    @classmethod
    def from_encoded(cls, batches, n_ids, chunk_tokens=None):
        """Store documents that are already encoded, batch by batch, chunked as ``__init__``.

        Parameters
        ----------
        batches : iterable of (ndarray of int32, ndarray of int64)
            ``(ids, lengths)`` of consecutive runs of documents: the ids of all their tokens,
            concatenated, and the number of tokens of each document. Every id must lie in
            ``[0, n_ids)``.
        n_ids : int
            Size of the id space (the length of the IdMap the corpus is read with).
        chunk_tokens : int, default=None
            Tokens per chunk; None uses :data:`CHUNK_TOKENS`.

        Returns
        -------
        EncodedCorpus
            With ``words=None``; ``counts`` counts each id.
        """

        def encoded_documents():
            for number, (ids, lengths) in enumerate(batches):
                ids = np.asarray(ids)
                lengths = np.asarray(lengths, dtype=np.int64)
                if (ids.ndim != 1 or lengths.ndim != 1 or int(lengths.sum()) != ids.shape[0]
                        or (lengths.size and lengths.min() < 0)):
                    raise ValueError(f"Encoded batch {number}: the document lengths (sum "
                                     f"{int(lengths.sum())}) do not cover its {ids.shape[0]} "
                                     "ids.")
                if ids.size and (ids.min() < 0 or ids.max() >= n_ids):
                    raise ValueError(f"Encoded batch {number} holds ids outside [0, {n_ids}).")
                ids = ids.astype(np.int32, copy=False)
                yield from np.split(ids, np.cumsum(lengths)[:-1]) if lengths.size else ()

        counts = np.zeros(n_ids, dtype=np.int64)

        def after_flush(chunk):
            counts[:] += np.bincount(chunk, minlength=n_ids)
            return 0

        corpus = cls.__new__(cls)
        corpus._store(encoded_documents(), lambda: False, after_flush, chunk_tokens)
        corpus.words = None
        corpus.word_hashes = None
        corpus.counts = counts
        corpus.n_pruned = 0
        corpus._slot_to_raw = None
        corpus._slot_generation = None
        corpus.n_ids = n_ids
        return corpus

    # --------------------------------------------------------------------------- storage
    def _store(self, encoded_documents, should_flush, after_flush, chunk_tokens):
        """Open the files and write the documents (see :meth:`_write`); on any error, close
        the files and raise it."""
        self._open(chunk_tokens)
        try:
            self._write(encoded_documents, should_flush, after_flush)
        except BaseException:
            self.close()
            raise

    def _open(self, chunk_tokens):
        self._chunk_tokens = CHUNK_TOKENS if chunk_tokens is None else int(chunk_tokens)
        if self._chunk_tokens < 1:
            raise ValueError(f"chunk_tokens must be >= 1, got {chunk_tokens}.")
        self._files = []
        self._chunks = []  # (n_documents, n_tokens, ids offset, lengths offset, generation)
        # Unlinked at once: nothing survives SIGKILL, SIGTERM or a crash.
        self._ids = self._temporary_file()
        self._lengths = self._temporary_file()

    def _temporary_file(self):
        try:
            handle = tempfile.TemporaryFile(prefix="skw2v-")
        except OSError as error:
            raise OSError(f"Cannot create the temporary corpus file in "
                          f"{tempfile.gettempdir()} ({error}). Set TMPDIR to a writable "
                          "directory.") from error
        self._files.append(handle)
        return handle

    def _append(self, handle, array, n_tokens, n_documents):
        """Write ``array``; ``n_tokens`` and ``n_documents`` were read so far."""
        try:
            handle.write(memoryview(np.ascontiguousarray(array)).cast("B"))
        except OSError as error:
            raise self._disk_error(error, n_tokens, n_documents) from error

    @staticmethod
    def _disk_error(error, n_tokens, n_documents):
        """The OSError of a failed write: the directory, and the bytes it needs."""
        return OSError(
            f"Writing the encoded corpus to the temporary directory "
            f"{tempfile.gettempdir()} failed ({error.strerror or error}). It needs 4 "
            f"bytes per token plus 8 per document: {4 * n_tokens + 8 * n_documents:,} "
            "bytes for the documents read so far, more for the rest. Free space there or "
            "set TMPDIR to a directory on a larger disk."
        )

    def _write(self, encoded_documents, should_flush, after_flush):
        ids, lengths = [], []
        n_pending = 0
        n_documents = 0
        n_tokens = 0
        longest = 0
        ids_offset = lengths_offset = 0

        def flush():
            nonlocal ids_offset, lengths_offset
            chunk = np.concatenate(ids) if ids else np.zeros(0, dtype=np.int32)
            chunk_lengths = np.asarray(lengths, dtype=np.int64)
            self._append(self._ids, chunk, n_tokens, n_documents)
            self._append(self._lengths, chunk_lengths, n_tokens, n_documents)
            generation = after_flush(chunk)
            self._chunks.append((len(lengths), chunk.shape[0], ids_offset, lengths_offset,
                                 generation))
            ids_offset += chunk.nbytes
            lengths_offset += chunk_lengths.nbytes
            ids.clear()
            lengths.clear()

        for encoded in encoded_documents:
            ids.append(encoded)
            lengths.append(encoded.shape[0])
            n_documents += 1
            n_tokens += encoded.shape[0]
            longest = max(longest, encoded.shape[0])
            n_pending += encoded.shape[0]
            if n_pending >= self._chunk_tokens or should_flush():
                flush()
                n_pending = 0
        if lengths:
            flush()
        for handle in self._files:
            try:
                handle.flush()
            except OSError as error:
                raise self._disk_error(error, n_tokens, n_documents) from error
        self.n_documents = n_documents
        self.n_tokens = n_tokens
        self.max_document_tokens = longest

    @staticmethod
    def _read(handle, array, offset):
        view = memoryview(array).cast("B")
        done = 0
        while done < view.nbytes:
            n = os.preadv(handle.fileno(), [view[done:]], offset + done)
            if n <= 0:
                raise OSError("The temporary corpus file was truncated while training.")
            done += n
        return array

    # --------------------------------------------------------------------------- reading
    def chunks(self, id_map, order=None):
        """Yield ``(ids, offsets, chunk_remap)`` per chunk (in the order of the chunk indices
        ``order``; None: first to last). With ``id_map=None`` the ids are yielded as they are
        and ``chunk_remap`` is None.

        ``ids`` are int32 ids, ``offsets`` the int64 document boundaries, and ``chunk_remap``
        maps every id of this chunk to the row that ``id_map`` (an
        :class:`skw2v._ids.IdMap` over the raw ids ``0..len(words)``) gives its word, or -1:
        ``chunk_remap[ids]`` are the chunk's rows. Positional reads: several iterations may
        run at once.
        """
        if id_map is None:  # the ids as they are (a corpus from_encoded)
            for index in range(len(self._chunks)) if order is None else order:
                n_docs, n_tokens, ids_offset, lengths_offset, _ = self._chunks[index]
                yield (*self._chunk(n_docs, n_tokens, ids_offset, lengths_offset), None)
            return
        remap = id_map.rows
        if self._slot_to_raw is None:
            slot_remap = remap
        else:
            live = self._slot_to_raw >= 0
            slot_remap = np.full(self._slot_to_raw.shape[0], -1, dtype=remap.dtype)
            slot_remap[live] = remap[self._slot_to_raw[live]]
        for index in range(len(self._chunks)) if order is None else order:
            n_docs, n_tokens, ids_offset, lengths_offset, generation = self._chunks[index]
            ids, offsets = self._chunk(n_docs, n_tokens, ids_offset, lengths_offset)
            chunk_remap = slot_remap
            if self.n_pruned and generation < self.n_pruned:
                # Ids whose word got them after this chunk was written meant another word.
                chunk_remap = np.where(self._slot_generation <= generation, slot_remap, -1)
                chunk_remap = chunk_remap.astype(remap.dtype, copy=False)
            yield ids, offsets, chunk_remap

    def _chunk(self, n_docs, n_tokens, ids_offset, lengths_offset):
        ids = self._read(self._ids, np.empty(n_tokens, dtype=np.int32), ids_offset)
        lengths = self._read(self._lengths, np.empty(n_docs, dtype=np.int64), lengths_offset)
        offsets = np.zeros(n_docs + 1, dtype=np.int64)
        np.cumsum(lengths, out=offsets[1:])
        return ids, offsets

    @property
    def max_chunk_tokens(self):
        """Largest number of tokens in one chunk."""
        return max((chunk[1] for chunk in self._chunks), default=0)

    @property
    def first_documents(self):
        """The number of the first document of each chunk (int64)."""
        counts = np.array([chunk[0] for chunk in self._chunks], dtype=np.int64)
        return np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.int64)

    @property
    def n_chunks(self):
        """Number of chunks."""
        return len(self._chunks)

    def close(self):
        """Close every file. Their content is thrown away, so a failure to flush what is
        still buffered (a full disk) is no error here: it must not hide the error that
        ended the writing, nor leave the other files open."""
        for handle in getattr(self, "_files", ()):
            with contextlib.suppress(OSError):
                handle.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()
