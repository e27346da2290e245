/**
 * The datasets that ship with the app (docs/data-formats.md). The files sit beside this manifest, unchanged
 * from ../shared/data; README.md next to them keeps their licences and provenance.
 * Pure data: the Node adapter (core/host-node/datasets.ts) reads the files, the renderer imports them with Vite.
 */
import type { ColumnMap, FileTask } from '../formats';

export interface BundledDataset {
  name: string;
  /** File name inside core/data/bundled/. */
  file: string;
  task: FileTask;
  /** Which columns/fields hold the text and the label, or the prompt and the completion. */
  columns?: ColumnMap;
  /** A tokenizer spec that suits the set, offered first in the UI and used by the CLI by default. */
  defaultTokenizer: string;
  description: string;
}

export const BUNDLED_DATASETS = [
  {
    name: 'shakespeare',
    file: 'shakespeare.txt',
    task: 'next-token',
    defaultTokenizer: 'char',
    description: 'Tiny Shakespeare: about 1 MB of plays, for character- or word-level language models.',
  },
  {
    name: 'sentiment',
    file: 'sentiment.tsv',
    task: 'classify',
    columns: { text: 'text', label: 'label' },
    defaultTokenizer: 'word',
    description: '3,000 review sentences from Amazon, IMDb and Yelp, each positive or negative.',
  },
  {
    // The same file's text column as plain text, one review per line: pre-train a language model on the domain
    // without its labels (the Transfer guided project), then fine-tune a classifier on `sentiment`.
    name: 'sentiment-text',
    file: 'sentiment.tsv',
    task: 'next-token',
    columns: { text: 'text' },
    defaultTokenizer: 'word:3000',
    description: 'The 3,000 sentiment review sentences without their labels, as plain text, for pre-training a language model.',
  },
  {
    name: 'pos',
    file: 'pos.jsonl',
    task: 'tag',
    defaultTokenizer: 'word',
    description: '4,078 English Web Treebank sentences with a part-of-speech tag (17 UPOS tags) on every word.',
  },
  {
    name: 'translation-en-fr',
    file: 'translation-en-fr.tsv',
    task: 'prompt-completion',
    columns: { prompt: 'en', completion: 'fr' },
    defaultTokenizer: 'bpe:500',
    description: '20,000 short English → French sentence pairs from Tatoeba; the loss is on the French side only.',
  },
  {
    name: 'instructions',
    file: 'instructions.jsonl',
    task: 'prompt-completion',
    columns: { prompt: 'instruction', completion: 'response' },
    defaultTokenizer: 'bpe:1000',
    description: '2,510 short open questions and human answers from databricks-dolly-15k; the loss is on the answer only.',
  },
] as const satisfies readonly BundledDataset[];

export type BundledName = (typeof BUNDLED_DATASETS)[number]['name'];

export function bundledDataset(name: string): BundledDataset | undefined {
  return BUNDLED_DATASETS.find((d) => d.name === name);
}

/** A bundled set's text as a source for `prepareDataset`, with its task and columns from the manifest. */
export function bundledSource(set: BundledDataset, text: string): { name: string; file: string; text: string; task: FileTask; columns?: ColumnMap } {
  return { name: set.name, file: set.file, text, task: set.task, columns: set.columns };
}

export interface DataCredit {
  /** Bundled dataset name. */
  name: string;
  licence: string;
  licenceUrl?: string;
  /** The attribution sentence the licence asks for (README.md), shown verbatim in the About box. */
  attribution: string;
}

/** Data credits for the About box, taken from bundled/README.md. */
export const DATA_CREDITS: readonly DataCredit[] = [
  {
    name: 'shakespeare',
    licence: 'Public domain text; hosting repository MIT',
    attribution: "Tiny Shakespeare, from Andrej Karpathy's char-rnn (github.com/karpathy/char-rnn).",
  },
  {
    name: 'sentiment',
    licence: 'CC BY 4.0',
    licenceUrl: 'https://creativecommons.org/licenses/by/4.0/',
    attribution:
      "Sentiment Labelled Sentences by Dimitrios Kotzias, UCI Machine Learning Repository, CC BY 4.0. D. Kotzias, M. Denil, N. de Freitas, P. Smyth, 'From Group to Individual Labels using Deep Features', KDD 2015. Control characters were replaced and whitespace was collapsed.",
  },
  {
    name: 'pos',
    licence: 'CC BY-SA 4.0',
    licenceUrl: 'https://creativecommons.org/licenses/by-sa/4.0/',
    attribution:
      'Universal Dependencies English Web Treebank v2.16. Annotations © 2013–2021 The Board of Trustees of The Leland Stanford Junior University, CC BY-SA 4.0. Converted from CoNLL-U to JSONL with UPOS tags only.',
  },
  {
    name: 'translation-en-fr',
    licence: 'CC BY 2.0 FR',
    licenceUrl: 'https://creativecommons.org/licenses/by/2.0/fr/',
    attribution:
      'English–French sentence pairs from the Tatoeba Project (tatoeba.org), CC BY 2.0 FR, via www.manythings.org/anki. Spaces were normalized and duplicates removed.',
  },
  {
    name: 'instructions',
    licence: 'CC BY-SA 3.0',
    licenceUrl: 'https://creativecommons.org/licenses/by-sa/3.0/',
    attribution:
      'databricks-dolly-15k, Copyright (2023) Databricks, Inc., CC BY-SA 3.0 (https://www.databricks.com). Certain categories include material from Wikipedia (https://www.wikipedia.org/), Copyright © Wikipedia editors and contributors, CC BY-SA 3.0. This file is a filtered subset (open_qa, short rows) reformatted to JSONL.',
  },
];
