import type { Binding, Task } from '../nodes/define';
import { DEFAULT_BINDING } from '../shapes/infer';
import { UserError } from './errors';

/** V and C of a dataset, and (when known) its task, its name and its file's size in bytes. */
export type ResolvedData = Binding & { task?: Task; name?: string; fileBytes?: number };

/** Reads V and C from a dataset (and tokenizer); throw UserError for a user mistake such as a missing file. */
export type BindingResolver = (data: string, tokenizer: string | undefined) => Promise<ResolvedData>;

let resolver: BindingResolver | undefined;

/** The dataset code registers how `--data D [--tokenizer K]` becomes a Binding. */
export function setBindingResolver(r: BindingResolver | undefined): void {
  resolver = r;
}

/** The binding for `--data`/`--tokenizer`; without --data the default (V=67, C=2), marked `assumed`. */
export async function resolveBinding(
  data?: string,
  tokenizer?: string,
): Promise<{ binding: Binding; assumed: boolean; data?: ResolvedData }> {
  if (data === undefined) {
    if (tokenizer !== undefined)
      throw new UserError('Option --tokenizer needs --data: the vocabulary is learned from the dataset.');
    return { binding: DEFAULT_BINDING, assumed: true };
  }
  if (!resolver)
    throw new UserError('This build of wordloom cannot read datasets yet; run without --data to assume V=67, C=2.');
  const resolved = await resolver(data, tokenizer);
  return { binding: { vocabSize: resolved.vocabSize, numClasses: resolved.numClasses }, assumed: false, data: resolved };
}
