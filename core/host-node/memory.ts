/** Node adapter: how much memory this machine has, for the pre-flight of `check` and `train`. */
import { totalmem } from 'node:os';

/** Total physical memory in bytes (os.totalmem). */
export const machineMemory = (): number => totalmem();
