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
  /** Freeze mode (while fine-tuning): a click on a block freezes or thaws it instead of selecting it. */
  isFreezeMode: boolean;
  /** Earlier and undone `frozen` lists: freezing is undoable while freeze mode is on. */
  frozenPast: string[][];
  frozenFuture: string[][];
  /** "Compare with scratch": the fine-tuned run and the from-scratch run trained for it (set once it starts). */
  scratchCompare: { childId: string; scratchId?: string } | null;
  askPrompt: string;
  askAnswer: string;
  isAsking: boolean;
  heldOut: HeldOutAnswer[] | null;
  /** Fine-tune… on a finished run: the next Train starts from its weights. */
  beginFineTune: (parent: FineTuneParent) => void;
  cancelFineTune: () => void;
  toggleFrozen: (nodeId: string) => void;
  setFreezeMode: (on: boolean) => void;
  undoFreeze: () => void;
  redoFreeze: () => void;
  setScratchCompare: (value: FineTuneSlice['scratchCompare']) => void;
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
  isFreezeMode: false,
  frozenPast: [],
  frozenFuture: [],
  scratchCompare: null,
  beginFineTune: (fineTune) =>
    set({ fineTune, frozen: [], frozenPast: [], frozenFuture: [], dockTab: 'train', isDockOpen: true }),
  cancelFineTune: () => set({ fineTune: null, frozen: [], isFreezeMode: false, frozenPast: [], frozenFuture: [] }),
  toggleFrozen: (id) =>
    set((s) => ({
      frozen: s.frozen.includes(id) ? s.frozen.filter((x) => x !== id) : [...s.frozen, id],
      frozenPast: [...s.frozenPast, s.frozen],
      frozenFuture: [],
    })),
  setFreezeMode: (isFreezeMode) => set((s) => ({ isFreezeMode: isFreezeMode && s.fineTune !== null })),
  undoFreeze: () =>
    set((s) =>
      s.frozenPast.length
        ? { frozen: s.frozenPast[s.frozenPast.length - 1], frozenPast: s.frozenPast.slice(0, -1), frozenFuture: [s.frozen, ...s.frozenFuture] }
        : {},
    ),
  redoFreeze: () =>
    set((s) =>
      s.frozenFuture.length
        ? { frozen: s.frozenFuture[0], frozenPast: [...s.frozenPast, s.frozen], frozenFuture: s.frozenFuture.slice(1) }
        : {},
    ),
  setScratchCompare: (scratchCompare) => set({ scratchCompare }),
  setAskPrompt: (askPrompt) => set({ askPrompt }),
  beginAsk: () => set({ askAnswer: '', isAsking: true }),
  appendAnswer: (text, done) => set((s) => ({ askAnswer: s.askAnswer + text, isAsking: !done })),
  setHeldOut: (heldOut) => set({ heldOut }),
});
