/**
 * Python source of Wordloom's tokenizers (core/data/tokenizers/), giving the same ids for the same text:
 * char, word and byte-level bpe are written out; gpt2 uses the tiktoken package. The regular expressions of
 * the TypeScript side use Unicode classes (\p{L}) that Python's `re` lacks, so they are written as scanners.
 */
export const tokenizerSource = String.raw`EOS_TEXT, SEP_TEXT = "<|endoftext|>", "<|sep|>"
_SPECIAL = re.compile(r"(<\|endoftext\|>|<\|sep\|>)")
# JavaScript's \s: what Wordloom's regular expressions and trim() treat as whitespace.
_SPACE = "\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
_BYTE_BASE = 3  # bpe: ids 3..258 are the 256 bytes
_FIRST_MERGE = _BYTE_BASE + 256


def _kind(ch):
    """L for letters, M marks, N numbers, a space for JavaScript whitespace, P for anything else."""
    if ch in _SPACE:
        return " "
    k = unicodedata.category(ch)[0]
    return k if k in "LMN" else "P"


def _chunk_class(ch):
    """The classes of the GPT-2 chunker: letters, numbers, whitespace, and the rest (marks included)."""
    k = _kind(ch)
    return "P" if k == "M" else k


def split_words(text):
    """Wordloom's word splitter: lower-cased runs of letters, marks and digits with inner apostrophes, each newline,
    and runs of one repeated punctuation character; other whitespace is dropped."""
    s, out, i = text.lower(), [], 0
    while i < len(s):
        k, j = _kind(s[i]), i + 1
        if k in "LMN":
            while True:
                while j < len(s) and _kind(s[j]) in "LMN":
                    j += 1
                if j + 1 < len(s) and s[j] in "'\u2019" and _kind(s[j + 1]) in "LMN":
                    j += 2
                    continue
                break
        elif s[i] == "\n":
            pass
        elif k == " ":
            i = j
            continue
        else:
            while j < len(s) and s[j] == s[i]:
                j += 1
        out.append(s[i:j])
        i = j
    return out


def _chunk_end(s, i):
    """End of the GPT-2 pre-tokenizer chunk that starts at i, as Wordloom's CHUNK_RE matches it:
    's 't 're 've 'm 'll 'd | ' ?letters' | ' ?digits' | ' ?other' | whitespace not before a word | whitespace."""
    n = len(s)
    if s[i] == "'" and i + 1 < n:
        if s[i + 1] in "sdmt":
            return i + 2
        if s[i + 1 : i + 3] in ("ll", "ve", "re"):
            return i + 3
    start = i + 1 if s[i] == " " and i + 1 < n and _chunk_class(s[i + 1]) != " " else i
    k = _chunk_class(s[start])
    if k != " ":
        j = start + 1
        while j < n and _chunk_class(s[j]) == k:
            j += 1
        return j
    j = i + 1
    while j < n and s[j] in _SPACE:
        j += 1
    return j if j == n or j - 1 == i else j - 1  # leave the last space to the word after it


class Tokenizer:
    """A Wordloom tokenizer from tokenizer.json. Id 0 is padding, 1 <|endoftext|>, 2 <|sep|>; char and word
    have <unk> at 3. encode(text) gives the ids Wordloom gives; tokenize_words(words) the tagging ids."""

    def __init__(self, spec):
        self.kind = spec["kind"]
        self.eos_id, self.sep_id = 1, 2
        if self.kind == "char":
            self.chars = spec["chars"]
            self.index = {c: 4 + i for i, c in enumerate(self.chars)}
            self.vocab_size = 4 + len(spec["chars"])
        elif self.kind == "word":
            self.words = spec["words"]
            self.index = {w: 4 + i for i, w in enumerate(self.words)}
            self.vocab_size = 4 + len(spec["words"])
        elif self.kind == "bpe":
            self.merges = [tuple(m) for m in spec["merges"]]
            self.ranks = {m: r for r, m in enumerate(self.merges)}
            self.bytes = {_BYTE_BASE + b: bytes([b]) for b in range(256)}
            for r, (a, b) in enumerate(self.merges):
                self.bytes[_FIRST_MERGE + r] = self.bytes[a] + self.bytes[b]
            self.vocab_size = _FIRST_MERGE + len(self.merges)
            self.cache = {}
        elif self.kind == "gpt2":
            try:
                import tiktoken
            except ImportError:
                sys.exit("The gpt2 tokenizer needs the tiktoken package (pip install tiktoken; it downloads GPT-2's vocabulary once).")
            self.enc = tiktoken.get_encoding("gpt2")
            self.eos_id, self.sep_id, self.vocab_size = 50257, 50258, 50259
        else:
            sys.exit(f"tokenizer.json has an unknown tokenizer kind {self.kind!r}.")

    @classmethod
    def load(cls, path):
        with open(path, encoding="utf-8") as f:
            return cls(json.load(f))

    def encode(self, text):
        out = []
        for part in _SPECIAL.split(text):
            if part == EOS_TEXT:
                out.append(self.eos_id)
            elif part == SEP_TEXT:
                out.append(self.sep_id)
            elif part:
                self._encode_plain(part, out)
        return out

    def _encode_plain(self, s, out):
        if self.kind == "char":
            out.extend(self.index.get(c, 3) for c in s)
        elif self.kind == "word":
            out.extend(self.index.get(w, 3) for w in split_words(s))
        elif self.kind == "gpt2":
            out.extend(i + 1 for i in self.enc.encode(s, disallowed_special=()))
        else:
            i = 0
            while i < len(s):
                j = _chunk_end(s, i)
                out.extend(self._bpe(s[i:j]))
                i = j

    def _bpe(self, chunk):
        if chunk in self.cache:
            return self.cache[chunk]
        ids = [_BYTE_BASE + b for b in chunk.encode("utf-8", "replace")]
        while len(ids) > 1:
            rank = min(self.ranks.get(pair, len(self.merges)) for pair in zip(ids, ids[1:]))
            if rank == len(self.merges):
                break
            a, b = self.merges[rank]
            merged, k = [], 0
            while k < len(ids):
                if k + 1 < len(ids) and ids[k] == a and ids[k + 1] == b:
                    merged.append(_FIRST_MERGE + rank)
                    k += 2
                else:
                    merged.append(ids[k])
                    k += 1
            ids = merged
        if len(self.cache) < 100000:
            self.cache[chunk] = ids
        return ids

    def decode(self, ids):
        """Text of the ids, as Wordloom decodes it (padding dropped; word tokens joined with Wordloom's spacing)."""
        if self.kind == "gpt2":
            out, run = [], []
            for i in ids:
                if i == self.sep_id:
                    out.append(self.enc.decode(run) + SEP_TEXT)
                    run = []
                elif i:
                    run.append(i - 1)
            return "".join(out) + self.enc.decode(run)
        if self.kind == "bpe":
            out, run = [], b""
            for i in ids:
                if i in (self.eos_id, self.sep_id):
                    out.append(run.decode("utf-8", "replace") + (EOS_TEXT if i == self.eos_id else SEP_TEXT))
                    run = b""
                elif i:
                    run += self.bytes[i]
            return "".join(out) + run.decode("utf-8", "replace")
        if self.kind == "char":
            return "".join("\ufffd" if i == 3 else self.piece(i) for i in ids if i)
        out, prev = "", ""
        for i in ids:
            if not i:
                continue
            t = self.piece(i)
            glue = (prev in ("", "\n") or t == "\n" or prev in (EOS_TEXT, SEP_TEXT) or t in (EOS_TEXT, SEP_TEXT)
                    or t[0] in ".,;:!?)]}%" or prev in ("(", "[", "{"))
            out += t if glue else " " + t
            prev = t
        return out

    def piece(self, i):
        """Display text of one id (whitespace matters: tagging marks a word's first non-blank piece)."""
        names = {0: "<pad>", self.eos_id: EOS_TEXT, self.sep_id: SEP_TEXT}
        if i in names:
            return names[i]
        if self.kind == "gpt2":
            return self.enc.decode_single_token_bytes(i - 1).decode("utf-8", "replace")
        if self.kind == "bpe":
            return self.bytes[i].decode("utf-8", "replace")
        if i == 3:
            return "<unk>"
        return self.chars[i - 4] if self.kind == "char" else self.words[i - 4]

    def tokenize_words(self, words):
        """Tagging: (ids, word_index), word_index[k] = the word whose tag id k carries, or -1."""
        if self.kind == "word":
            return [self.index.get(w.lower(), 3) for w in words], list(range(len(words)))
        ids, word_index = [], []
        for i, w in enumerate(words):
            sub = self.encode(w if i == 0 else " " + w)
            shown = [self.piece(t) for t in sub]
            first = next((k for k, p in enumerate(shown) if p.strip(_SPACE)), 0)
            ids.extend(sub)
            word_index.extend(i if k == first else -1 for k in range(len(sub)))
        return ids, word_index
`;
