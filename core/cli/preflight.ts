import { displayText } from '../graph/display';
import { machineMemory } from '../node/memory';
import type { Cost } from '../nodes/define';
import { memoryProblem, type MemoryBudget } from '../train/memory';
import { sizeFlag } from './numbers';

/** The budget a run is checked against: `--memory SIZE`, else this machine's memory. */
export function memoryBudget(flag: string | undefined): MemoryBudget {
  const bytes = sizeFlag(flag, 'memory');
  return bytes === undefined ? { bytes: machineMemory(), source: 'machine' } : { bytes, source: 'flag' };
}

/** The pre-flight sentence for a graph that will not fit (see core/train/memory.ts), or undefined. */
export function preflight(
  graphName: string,
  totals: Cost,
  batchSize: number,
  dataFileBytes: number,
  budget: MemoryBudget,
): string | undefined {
  return memoryProblem(displayText(graphName), totals, batchSize, dataFileBytes, budget);
}
