import { DataError } from './errors';

/** Classification and tagging need at least two distinct labels. */
export function checkTwoLabels(file: string, labels: Iterable<string>, what: 'label' | 'tag'): void {
  const seen = new Set(labels);
  if (seen.size === 1) {
    const [only] = seen;
    const task = what === 'label' ? 'classification' : 'tagging';
    throw new DataError(`${file} has only one ${what} ("${only}"); ${task} needs at least two.`, file);
  }
}
