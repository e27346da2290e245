/** Datasets and tokenizers (docs/data-formats.md): the public surface of core/data. */
export type { Batch } from './batch';
export { DataError, TokenizerSpecError } from './errors';
export * from './formats';
export * from './tokenizers/index';
export * from './prepare';
export * from './split';
export * from './batching';
export * from './inference';
export * from './rng';
export * from './bundled/manifest';
