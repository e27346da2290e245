import { describe, expect, it } from 'vitest';
import { PROJECT_FORMAT, PROJECT_VERSION } from '../../../core/project/schema';
import type { Project } from '../../../core/project/project';
import { AUTOSAVE_SLOTS, readAutosaves, writeAutosave } from '../../../renderer/services/autosave';
import { blankGraph } from '../../../renderer/store/graphSlice';

/** A Storage with a byte budget, like localStorage's quota. */
function memoryStorage(limit = Infinity): Storage {
  const map = new Map<string, string>();
  return {
    get length() {
      return map.size;
    },
    clear: () => map.clear(),
    getItem: (k) => map.get(k) ?? null,
    key: (i) => [...map.keys()][i] ?? null,
    removeItem: (k) => void map.delete(k),
    setItem: (k, v) => {
      const others = [...map].filter(([key]) => key !== k).reduce((n, [, x]) => n + x.length, 0);
      if (others + v.length > limit) throw new DOMException('full', 'QuotaExceededError');
      map.set(k, v);
    },
  };
}

const project = (name: string): Project => ({
  format: PROJECT_FORMAT,
  version: PROJECT_VERSION,
  graph: { ...blankGraph(), name },
  training: {},
  runs: [],
});

describe('autosave keeps the last few projects', () => {
  it('keeps one slot per document, newest first, and a second project does not replace the first', () => {
    const storage = memoryStorage();
    writeAutosave(storage, 'a', project('First'), 'First', new Date(1000));
    writeAutosave(storage, 'b', project('Second'), 'Second', new Date(2000));
    writeAutosave(storage, 'a', project('First, edited'), 'First', new Date(3000));
    const docs = readAutosaves(storage);
    expect(docs.map((d) => [d.id, d.project.graph.name])).toEqual([
      ['a', 'First, edited'],
      ['b', 'Second'],
    ]);
  });

  it(`keeps at most ${AUTOSAVE_SLOTS}, dropping the oldest`, () => {
    const storage = memoryStorage();
    for (let i = 0; i < AUTOSAVE_SLOTS + 2; i++) writeAutosave(storage, `d${i}`, project(`P${i}`), `P${i}`, new Date(i));
    const ids = readAutosaves(storage).map((d) => d.id);
    expect(ids).toHaveLength(AUTOSAVE_SLOTS);
    expect(ids[0]).toBe(`d${AUTOSAVE_SLOTS + 1}`);
    expect(ids).not.toContain('d0');
  });

  it('when storage is full, drops older copies rather than the newest', () => {
    const one = JSON.stringify([{ id: 'x', name: 'P', savedAt: new Date(0).toISOString(), text: JSON.stringify(project('P')) }]).length;
    const storage = memoryStorage(one * 2.5);
    for (let i = 0; i < 4; i++) expect(writeAutosave(storage, `d${i}`, project('P'), 'P', new Date(i))).toBe(true);
    const ids = readAutosaves(storage).map((d) => d.id);
    expect(ids[0]).toBe('d3');
    expect(ids.length).toBeLessThan(4);
  });

  it('still offers the single copy an earlier build kept', () => {
    const storage = memoryStorage();
    storage.setItem(
      'wordloom:autosave',
      JSON.stringify({ name: 'Old', savedAt: new Date(0).toISOString(), text: JSON.stringify(project('Old')) }),
    );
    expect(readAutosaves(storage).map((d) => d.handle.name)).toEqual(['Old']);
  });
});
