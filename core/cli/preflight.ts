import { displayText } from '../graph/display';
import { machineMemory } from '../host-node/memory';
import type { Cost } from '../nodes/define';
import { estimateTrainingMemory, formatBytes, memoryProblem, type MemoryBudget } from '../train/memory';
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

/** "Memory: about 1.4 GB to train at batch 16 (data 1.2 GB); this machine has 22.9 GB." */
export function memoryLine(totals: Cost, batchSize: number, dataFileBytes: number, budget: MemoryBudget): string {
  const need = estimateTrainingMemory(totals, batchSize, dataFileBytes);
  const data = dataFileBytes > 0 ? ` (data ${formatBytes(need.data)})` : '';
  const has = budget.source === 'machine' ? `this machine has ${formatBytes(budget.bytes)}` : `--memory allows ${formatBytes(budget.bytes)}`;
  return `Memory: about ${formatBytes(need.total)} to train at batch ${batchSize}${data}; ${has}.`;
}
