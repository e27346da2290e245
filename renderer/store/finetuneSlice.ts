import type { SliceCreator } from './types';

/** The finished run a new run starts from (the Train tab's Fine-tune…). */
export interface FineTuneParent {
  runId: string;
  name: string;
  /** Its last step: the child's step axis continues from here. */
  step: number;
  /** Its tokenizer spec, reused as is. */
  tokenizer: string;
}

/** A held-out prompt of the validation split with the model's greedy answer and the reference answer. */
export interface HeldOutAnswer {
  prompt: string;
  reference: string;
  answer: string;
}

/**
 * Fine-tuning and asking: the parent of the next run with the blocks to freeze (frozen blocks look frozen on the
 * canvas), and the Ask tab's prompt, streamed answer and held-out examples.
 */
export interface FineTuneSlice {
  fineTune: FineTuneParent | null;
  frozen: string[];
  askPrompt: string;
  askAnswer: string;
  isAsking: boolean;
  heldOut: HeldOutAnswer[] | null;
  /** Fine-tune… on a finished run: the next Train starts from its weights. */
  beginFineTune: (parent: FineTuneParent) => void;
  cancelFineTune: () => void;
  toggleFrozen: (nodeId: string) => void;
  setAskPrompt: (prompt: string) => void;
  beginAsk: () => void;
  appendAnswer: (text: string, done: boolean) => void;
  setHeldOut: (pairs: HeldOutAnswer[] | null) => void;
}

export const createFineTuneSlice: SliceCreator<FineTuneSlice> = (set) => ({
  fineTune: null,
  frozen: [],
  askPrompt: '',
  askAnswer: '',
  isAsking: false,
  heldOut: null,
  beginFineTune: (fineTune) => set({ fineTune, frozen: [], dockTab: 'train', isDockOpen: true }),
  cancelFineTune: () => set({ fineTune: null, frozen: [] }),
  toggleFrozen: (id) =>
    set((s) => ({ frozen: s.frozen.includes(id) ? s.frozen.filter((x) => x !== id) : [...s.frozen, id] })),
  setAskPrompt: (askPrompt) => set({ askPrompt }),
  beginAsk: () => set({ askAnswer: '', isAsking: true }),
  appendAnswer: (text, done) => set((s) => ({ askAnswer: s.askAnswer + text, isAsking: !done })),
  setHeldOut: (heldOut) => set({ heldOut }),
});
