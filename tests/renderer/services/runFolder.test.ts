import { describe, expect, it } from 'vitest';
import type { RunFiles } from '../../../core/run/files';
import { keepRunsBeside, keptRunsMessage, type RunFolder } from '../../../renderer/services/runFolder';

const files: RunFiles = { 'weights.bin': new Uint8Array([1]) };

/** A folder whose save fails for the run ids in `failing`, with main's one-sentence message. */
const folderFailingFor = (failing: Record<string, string>, saved: string[]): RunFolder => ({
  save: async (_path, id) => {
    if (failing[id]) throw new Error(failing[id]);
    saved.push(id);
  },
  load: async () => undefined,
});

describe('keeping runs beside the project', () => {
  it('attempts every run when some fail, and lists each failure in one message', async () => {
    const saved: string[] = [];
    const folder = folderFailingFor(
      { r1: 'Cannot write r1: the disk is full.', r3: 'Wordloom may not write weights.bin (permission denied).' },
      saved,
    );
    const runs = ['r1', 'r2', 'r3', 'r4'].map((id) => ({ id, name: `Run ${id}`, files: async () => files }));
    const kept = await keepRunsBeside(folder, '/p/demo.wordloom.json', runs);
    expect(saved).toEqual(['r2', 'r4']);
    expect(kept.saved).toEqual(['r2', 'r4']);
    expect(keptRunsMessage(kept, 'demo.wordloom.json')).toBe(
      '2 of 4 runs could not be written next to demo.wordloom.json: "Run r1" (Cannot write r1: the disk is full); ' +
        '"Run r3" (Wordloom may not write weights.bin (permission denied)).',
    );
  });

  it('counts a run whose stored weights cannot be read as failed, and skips one that has none', async () => {
    const saved: string[] = [];
    const runs = [
      { id: 'a', name: 'A', files: async () => Promise.reject(new Error('IndexedDB is unavailable')) },
      { id: 'b', name: 'B', files: async () => undefined },
      { id: 'c', name: 'C', files: async () => files },
    ];
    const kept = await keepRunsBeside(folderFailingFor({}, saved), '/p/x.json', runs);
    expect(kept).toEqual({ saved: ['c'], failed: [{ name: 'A', reason: 'IndexedDB is unavailable' }] });
    expect(keptRunsMessage(kept, 'x.json')).toBe(
      '1 of 2 runs could not be written next to x.json: "A" (IndexedDB is unavailable).',
    );
  });

  it('says nothing when every run was kept', async () => {
    const kept = await keepRunsBeside(folderFailingFor({}, []), '/p/x.json', [
      { id: 'a', name: 'A', files: async () => files },
    ]);
    expect(keptRunsMessage(kept, 'x.json')).toBeUndefined();
  });
});
