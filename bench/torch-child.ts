/**
 * The benches' PyTorch side as a child process that answers one JSON line per request line
 * (bench/torch_bench.py --serve, bench/nanogpt_torch.py --serve), so that its steps can take turns with ours.
 */
import { execFileSync, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

/** The Python that has torch, or undefined. */
export function torchPython(): string | undefined {
  return ['/usr/bin/python3', 'python3'].find((py) => {
    try {
      execFileSync(py, ['-c', 'import torch'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  });
}

export interface TorchChild {
  /** The first line it printed (its "ready" line). */
  ready: Record<string, unknown>;
  /** Sends one request line and reads the JSON line it answers. */
  ask: (request: string) => Promise<Record<string, unknown>>;
  /** Closes its stdin: the script's request loop ends, and so does the process. */
  close: () => void;
}

/** Starts `python script --serve config` and waits for its ready line. */
export async function startTorchChild(py: string, script: string, config: unknown): Promise<TorchChild> {
  const child = spawn(py, [script, '--serve', JSON.stringify(config)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async (): Promise<Record<string, unknown>> => {
    const line = await lines.next();
    if (line.done === true) throw new Error(`${script} ended before it answered.`);
    return JSON.parse(String(line.value)) as Record<string, unknown>;
  };
  const ready = await next();
  return {
    ready,
    ask: async (request) => {
      child.stdin.write(`${request}\n`);
      return next();
    },
    close: () => child.stdin.end(),
  };
}
