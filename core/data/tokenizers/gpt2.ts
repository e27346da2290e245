/**
 * GPT-2's released 50,257-token vocabulary, from the gpt-tokenizer package (shipped offline).
 * Ids are GPT-2's plus one, so 0 stays <pad>: `<|endoftext|>` (GPT-2 50256) is 50257, and
 * `<|sep|>`, which GPT-2 lacks, is appended as 50258. V = 50259. Byte-level, so no <unk>.
 */
import { decode as gptDecode, encode as gptEncode } from 'gpt-tokenizer/encoding/gpt2';
import { encodeWithSpecials, tokenizeWordsBySubTokens } from './specials';
import { PAD_TEXT, SEP_TEXT, type Tokenizer, type TokenizerJSON, type WordIds } from './types';

const GPT2_SIZE = 50257;
const PLAIN = { disallowedSpecial: new Set<string>() };

export class Gpt2Tokenizer implements Tokenizer {
  readonly kind = 'gpt2';
  readonly spec = 'gpt2';
  readonly eosId = GPT2_SIZE; // GPT-2's 50256, shifted
  readonly sepId = GPT2_SIZE + 1;
  readonly unkId = undefined;
  readonly vocabSize = GPT2_SIZE + 2;

  encode(text: string): number[] {
    return encodeWithSpecials(text, { eos: this.eosId, sep: this.sepId }, (seg, out) => {
      for (const id of gptEncode(seg, PLAIN)) out.push(id + 1);
    });
  }

  private check(id: number): void {
    if (!Number.isInteger(id) || id < 0 || id >= this.vocabSize) {
      throw new Error(`gpt2 tokenizer: id ${id} is outside the vocabulary of ${this.vocabSize}`);
    }
  }

  decode(ids: readonly number[]): string {
    let out = '';
    let run: number[] = [];
    const flush = (): void => {
      if (run.length > 0) out += gptDecode(run);
      run = [];
    };
    for (const id of ids) {
      this.check(id);
      if (id === 0) continue;
      if (id === this.sepId) {
        flush();
        out += SEP_TEXT;
      } else run.push(id - 1);
    }
    flush();
    return out;
  }

  pieces(ids: readonly number[]): string[] {
    return ids.map((id) => {
      this.check(id);
      if (id === 0) return PAD_TEXT;
      if (id === this.sepId) return SEP_TEXT;
      return gptDecode([id - 1]) || '\uFFFD'; // a byte that splits a character decodes to ''
    });
  }

  tokenizeWords(words: readonly string[]): WordIds {
    return tokenizeWordsBySubTokens(
      words,
      (t) => this.encode(t),
      (ids) => this.pieces(ids),
    );
  }

  toJSON(): TokenizerJSON {
    return { kind: 'gpt2', version: 1 };
  }
}
