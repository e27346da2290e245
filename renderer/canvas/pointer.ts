/** Where the pointer last was over the canvas (client pixels), so quick add can drop a block there. */
let last: { x: number; y: number } | null = null;

export const setCanvasPointer = (p: { x: number; y: number } | null): void => {
  last = p;
};
export const canvasPointer = (): { x: number; y: number } | null => last;
