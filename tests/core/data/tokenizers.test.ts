import { describe, expect, it } from 'vitest';
import {
  createTokenizer,
  DataError,
  tokenizerFromJSON,
  TokenizerSpecError,
  type Tokenizer,
} from '../../../core/data/index';

const TRAIN =
  "First Citizen:\nBefore we proceed any further, hear me speak.\n\nAll:\nSpeak, speak.\nWe know't, we know't.\n";
const SPECS = ['char', 'word', 'word:5', 'bpe:40', 'gpt2'];
const make = (spec: string): Tokenizer => createTokenizer(spec, TRAIN);

describe('every tokenizer', () => {
  for (const spec of SPECS) {
    it(`${spec}: id 0 is <pad>, never produced; ids < vocabSize; JSON round trip encodes identically`, () => {
      const tok = make(spec);
      const probe = 'Speak, citizen! Zebra? <|sep|> 42\n<|endoftext|>';
      const ids = tok.encode(probe);
      expect(ids.length).toBeGreaterThan(0);
      expect(ids).not.toContain(0);
      expect(Math.max(...ids)).toBeLessThan(tok.vocabSize);
      expect(tok.pieces([0])).toEqual(['<pad>']);
      expect(tok.decode([0, ...ids, 0])).toBe(tok.decode(ids));
      expect(ids).toContain(tok.sepId);
      expect(ids[ids.length - 1]).toBe(tok.eosId);
      const copy = tokenizerFromJSON(JSON.parse(JSON.stringify(tok.toJSON())));
      expect(copy.kind).toBe(tok.kind);
      expect(copy.spec).toBe(tok.spec);
      expect(copy.vocabSize).toBe(tok.vocabSize);
      expect(copy.encode(probe)).toEqual(ids);
      expect(copy.pieces(ids)).toEqual(tok.pieces(ids));
    });
  }
});

describe('round trips', () => {
  it('char: exact on text in its alphabet; unknown characters become <unk>', () => {
    const tok = make('char');
    expect(tok.vocabSize).toBe(4 + new Set(TRAIN).size);
    const s = 'We speak, hear me.\nAll: First.';
    expect(tok.decode(tok.encode(s))).toBe(s);
    const ids = tok.encode('Zq');
    expect(ids).toEqual([tok.unkId, tok.unkId]);
    expect(tok.pieces(ids)).toEqual(['<unk>', '<unk>']);
    expect(tok.decode(ids)).toBe('\uFFFD\uFFFD');
  });

  const WILD = [
    'Hello world',
    '  spaced\t\ttabs\n\n\nend  ',
    'café naïve — “quotes” ',
    '日本語のテキスト',
    'emoji 🎉👩‍👩‍👧 ok',
    "it's 1999, y'all <|sep|> done<|endoftext|>",
    '',
  ];
  for (const spec of ['bpe:40', 'gpt2']) {
    it(`${spec}: exact on any text, including characters never seen in training`, () => {
      const tok = make(spec);
      for (const s of WILD) expect(tok.decode(tok.encode(s))).toBe(s);
    });
  }

  it('word: lower-cased in-vocabulary text comes back with its spacing and line breaks', () => {
    const tok = make('word');
    const s = "first citizen:\nbefore we proceed any further, hear me speak.\n\nall:\nwe know't, we know't.";
    expect(tok.decode(tok.encode(s))).toBe(s);
    expect(tok.decode(tok.encode('SPEAK,   Speak.'))).toBe('speak, speak.'); // case and runs of spaces are lost
    expect(tok.pieces(tok.encode('speak zebra'))).toEqual(['speak', '<unk>']);
  });

  it('word:N keeps the N most frequent words, ties in alphabetical order', () => {
    const tok = createTokenizer('word:3', 'b b a a c c c d');
    expect(tok.vocabSize).toBe(4 + 3);
    expect(tok.pieces(tok.encode('c a b d'))).toEqual(['c', 'a', 'b', '<unk>']);
  });
});

describe('gpt2', () => {
  it('encodes "Hello world" to GPT-2 ids 15496, 995 shifted by one', () => {
    const tok = make('gpt2');
    expect(tok.encode('Hello world')).toEqual([15497, 996]);
    expect(tok.vocabSize).toBe(50259);
    expect(tok.eosId).toBe(50257);
    expect(tok.pieces([15497, 996])).toEqual(['Hello', ' world']);
  });
});

describe('tagging input: tokenizeWords', () => {
  const words = ['We', 'speak', 'zebra', '.'];
  it('word tokenizer: one id per word, each carrying its tag', () => {
    const tok = make('word');
    const r = tok.tokenizeWords(words);
    expect(tok.pieces(r.ids)).toEqual(['we', 'speak', '<unk>', '.']);
    expect(r.wordIndex).toEqual([0, 1, 2, 3]);
  });
  for (const spec of ['char', 'bpe:40', 'gpt2']) {
    it(`${spec}: sub-tokens, and the first non-space one of each word carries the tag`, () => {
      const tok = make(spec);
      const r = tok.tokenizeWords(words);
      expect(r.ids.length).toBe(r.wordIndex.length);
      expect(r.wordIndex.filter((w) => w >= 0)).toEqual([0, 1, 2, 3]);
      const pieces = tok.pieces(r.ids);
      r.wordIndex.forEach((w, i) => {
        if (w >= 0) expect(words[w].startsWith(pieces[i].trim()) || pieces[i] === '<unk>').toBe(true);
      });
      expect(tok.decode(r.ids)).toBe(
        spec === 'char' ? 'We speak ze\uFFFDra .' /* no b in training */ : 'We speak zebra .',
      );
    });
  }
});

describe('bad specs and files', () => {
  it('a spec that is not a tokenizer is one sentence', () => {
    expect(() => createTokenizer('sentencepiece', TRAIN)).toThrow(TokenizerSpecError);
    expect(() => createTokenizer('sentencepiece', TRAIN)).toThrow(
      'Unknown tokenizer "sentencepiece"; use char, word, word:N, bpe:N or gpt2.',
    );
    expect(() => createTokenizer('char:5', TRAIN)).toThrow(TokenizerSpecError);
    expect(() => createTokenizer('bpe:0', TRAIN)).toThrow('Tokenizer "bpe:0": N must be between 1 and 200000.');
  });

  it('a damaged tokenizer file names the file', () => {
    expect(() =>
      tokenizerFromJSON({ kind: 'bpe', version: 1, numMerges: 2, merges: [[999, 3]] }, 'run/tokenizer.json'),
    ).toThrow(DataError);
    expect(() => tokenizerFromJSON({ kind: 'word' }, 'run/tokenizer.json')).toThrow(
      /^run\/tokenizer\.json is not a saved Wordloom tokenizer/,
    );
  });
});
