import type { SliceCreator } from './types';

/** The guided projects of the start screen (renderer/lib/guides.ts holds their steps). */
export type GuideId = 'gpt-to-chatgpt' | 'transfer';

/**
 * The guided project being followed: which one, the step on screen, and whether its panel is folded. The panel
 * stays over the canvas while the user works, so the steps and the canvas are seen together.
 */
export interface GuideSlice {
  guide: GuideId | null;
  guideStep: number;
  isGuideFolded: boolean;
  startGuide: (id: GuideId) => void;
  setGuideStep: (step: number) => void;
  toggleGuideFold: () => void;
  closeGuide: () => void;
}

export const createGuideSlice: SliceCreator<GuideSlice> = (set) => ({
  guide: null,
  guideStep: 0,
  isGuideFolded: false,
  startGuide: (guide) => set({ guide, guideStep: 0, isGuideFolded: false }),
  setGuideStep: (guideStep) => set({ guideStep: Math.max(0, guideStep) }),
  toggleGuideFold: () => set((s) => ({ isGuideFolded: !s.isGuideFolded })),
  closeGuide: () => set({ guide: null, guideStep: 0 }),
});
