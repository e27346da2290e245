import type { AttentionMap, Prediction } from '../../core/predict/types';
import type { SliceCreator } from './types';

export type DockTab = 'train' | 'predictions' | 'attention' | 'generate' | 'ask';
export const DOCK_TABS: readonly DockTab[] = ['train', 'predictions', 'attention', 'generate', 'ask'];

/** How a sample sentence splits into tokens under the chosen tokenizer (the worker's 'tokenize'). */
export interface TokenPreview {
  /** The dataset + tokenizer it was made for, so a stale answer is recognisable. */
  key: string;
  vocabSize: number;
  pieces: string[];
  ids: number[];
}

export interface GenerateOptionsState {
  tokens: number;
  temperature: number;
  topK: number;
}

/**
 * What the user asks the trained model, and its answers: per-token predictions for a text, attention maps,
 * generated text, the tokenizer preview, and which tab of the training dock is open.
 */
export interface InsightSlice {
  /** The run the inspection tabs look at (their shared picker); null: the current run. */
  inspectRunId: string | null;
  /** Runs whose models the worker holds besides the current one (opened for the picker). */
  loadedRunIds: string[];
  dockTab: DockTab;
  isDockOpen: boolean;
  tokenPreview: TokenPreview | null;
  predictText: string;
  /** The model's answer for `predictText` (null: none yet; the panel shows the training probe instead). */
  prediction: Prediction | null;
  selectedPosition: number | null;
  attention: AttentionMap[];
  attentionNode: string | null;
  attentionHead: number;
  /** The token under the pointer in the attention view (query position). */
  attentionHover: number | null;
  prompt: string;
  generateOptions: GenerateOptionsState;
  generated: string;
  isGenerating: boolean;
  /** Picks the run for Predictions, Attention, Generate and Ask; their answers for the last one are cleared. */
  pickRun: (id: string | null) => void;
  markRunLoaded: (id: string, loaded: boolean) => void;
  showDockTab: (tab: DockTab) => void;
  toggleDock: () => void;
  setTokenPreview: (preview: TokenPreview) => void;
  setPredictText: (text: string) => void;
  setPrediction: (prediction: Prediction | null) => void;
  selectPosition: (index: number | null) => void;
  setAttention: (maps: AttentionMap[]) => void;
  selectAttention: (nodeId: string, head: number) => void;
  hoverAttention: (index: number | null) => void;
  setPrompt: (prompt: string) => void;
  setGenerateOptions: (patch: Partial<GenerateOptionsState>) => void;
  beginGeneration: () => void;
  appendGenerated: (text: string, done: boolean) => void;
}

export const createInsightSlice: SliceCreator<InsightSlice> = (set) => ({
  inspectRunId: null,
  loadedRunIds: [],
  dockTab: 'train',
  // Folded at first: the canvas keeps the window until the user opens a tab.
  isDockOpen: false,
  tokenPreview: null,
  predictText: '',
  prediction: null,
  selectedPosition: null,
  attention: [],
  attentionNode: null,
  attentionHead: 0,
  attentionHover: null,
  prompt: '',
  generateOptions: { tokens: 120, temperature: 0.8, topK: 10 },
  generated: '',
  isGenerating: false,
  pickRun: (inspectRunId) =>
    set((s) =>
      s.inspectRunId === inspectRunId
        ? {}
        : { inspectRunId, prediction: null, selectedPosition: null, attention: [], attentionHover: null, generated: '', askAnswer: '', heldOut: null },
    ),
  markRunLoaded: (id, loaded) =>
    set((s) => ({
      loadedRunIds: loaded
        ? s.loadedRunIds.includes(id)
          ? s.loadedRunIds
          : [...s.loadedRunIds, id]
        : s.loadedRunIds.filter((x) => x !== id),
    })),
  showDockTab: (dockTab) => set({ dockTab, isDockOpen: true }),
  toggleDock: () => set((s) => ({ isDockOpen: !s.isDockOpen })),
  setTokenPreview: (tokenPreview) => set({ tokenPreview }),
  setPredictText: (predictText) => set({ predictText }),
  setPrediction: (prediction) =>
    set((s) => ({
      prediction,
      // Keep the clicked position while it still exists (predictions refresh at every evaluation).
      selectedPosition:
        prediction && s.selectedPosition !== null && s.selectedPosition < prediction.tokens.length
          ? s.selectedPosition
          : null,
    })),
  selectPosition: (selectedPosition) => set({ selectedPosition }),
  setAttention: (attention) =>
    set((s) => {
      const keep = attention.find((m) => m.nodeId === s.attentionNode);
      const node = keep ?? attention[0];
      const heads = node?.heads.length ?? 0;
      return {
        attention,
        attentionNode: node?.nodeId ?? null,
        attentionHead: keep && s.attentionHead < heads ? s.attentionHead : 0,
        attentionHover: null,
      };
    }),
  selectAttention: (attentionNode, attentionHead) => set({ attentionNode, attentionHead }),
  hoverAttention: (attentionHover) => set({ attentionHover }),
  setPrompt: (prompt) => set({ prompt }),
  setGenerateOptions: (patch) => set((s) => ({ generateOptions: { ...s.generateOptions, ...patch } })),
  beginGeneration: () => set({ generated: '', isGenerating: true }),
  appendGenerated: (text, done) => set((s) => ({ generated: s.generated + text, isGenerating: !done })),
});
