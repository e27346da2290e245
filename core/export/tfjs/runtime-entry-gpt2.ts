/** Entry of wordloom-model.js for the gpt2 tokenizer: also imports gpt-tokenizer for GPT-2's vocabulary. */
import { Gpt2Tokenizer } from '../../data/tokenizers/gpt2';
import { createRuntime } from './runtime-core';
import { readBasicTokenizer, tokenizerKind } from './runtime-tokenizer';

export type { WordloomModel } from './runtime-core';
export type { ModelSource } from './runtime-files';

const runtime = createRuntime((json) =>
  tokenizerKind(json) === 'gpt2' ? new Gpt2Tokenizer() : readBasicTokenizer(json),
);

/** Loads an export folder (path in Node, URL in a browser, or `{ files }`). */
export const load = runtime.load;
/** Predicts with the last loaded model: the JSON of `wordloom predict --json`. */
export const predict = runtime.predict;
/** Continues a prompt with the last loaded model (next-token models), as the app's Generate tab does. */
export const generate = runtime.generate;
/** Answers a prompt as the app's Ask tab does (prompt/completion models): framed `prompt <|sep|>`, until the end token. */
export const ask = runtime.ask;
