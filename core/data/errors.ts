/**
 * A problem with a user's data file (or a saved tokenizer). `message` is one complete sentence
 * that already names the file (and the line where it helps), so the CLI and the UI show it alone.
 */
export class DataError extends Error {
  constructor(
    message: string,
    readonly file: string,
    readonly line?: number,
  ) {
    super(message);
    this.name = 'DataError';
  }
}

/** A tokenizer spec the user typed (`--tokenizer`, the training panel) that we cannot build. */
export class TokenizerSpecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TokenizerSpecError';
  }
}
