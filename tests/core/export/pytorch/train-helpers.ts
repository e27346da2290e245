/** For the train.py tests: a run trained for a step on a slice of a bundled set, exported next to that slice. */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { bundledDataset, bundledSource } from '../../../../core/data/bundled/manifest';
import { prepareDataset } from '../../../../core/data/prepare';
import { exportPytorch } from '../../../../core/export/pytorch/index';
import { loadRun, type LoadedRun } from '../../../../core/run/load';
import { runFiles, trainRun } from '../../../../core/run/session';
import { withTrainDefaults } from '../../../../core/train/protocol';
import { ROOT, TORCH_PY, loadTemplateGraph, python, writeFiles } from './helpers';

export interface ExportedRun {
  run: LoadedRun;
  dir: string;
  /** File name of the data slice inside `dir`. */
  data: string;
}

/** Trains `template` for one tf.js step on the first `rows` lines of a bundled set, reloads it and exports it. */
export async function exportTrainedRun(
  template: string,
  set: string,
  tokenizer: string,
  rows: number,
): Promise<ExportedRun> {
  const info = bundledDataset(set);
  if (!info) throw new Error(`no bundled set ${set}`);
  const text =
    readFileSync(join(ROOT, 'core/data/bundled', info.file), 'utf8')
      .split('\n')
      .slice(0, rows)
      .join('\n') + '\n';
  const data = prepareDataset(bundledSource(info, text), { tokenizer });
  const config = withTrainDefaults({ steps: 1, batchSize: 4, evalEvery: 1000, evalBatches: 1 });
  const trained = await trainRun({ graph: loadTemplateGraph(template), data, config, backend: 'cpu', emit: () => {} });
  const run = await loadRun(await runFiles(trained, data), 'trained');
  const dir = writeFiles(await exportPytorch(run), 'wordloom-train-');
  writeFileSync(join(dir, info.file), text);
  return { run, dir, data: info.file };
}

/** The losses train.py printed, checked to be one finite `step N loss X` line per step. */
export function printedLosses(stdout: string, steps: number): number[] {
  const found = [...stdout.matchAll(/^step (\d+) loss (\S+)$/gm)];
  expect(found.map((m) => Number(m[1]))).toEqual(Array.from({ length: steps }, (_, i) => i + 1));
  const losses = found.map((m) => Number(m[2]));
  for (const l of losses) expect(Number.isFinite(l)).toBe(true);
  return losses;
}

/**
 * Runs train.py as `world` processes with the environment torchrun gives them (Gloo on CPU), over loopback only:
 * Gloo otherwise binds to the address the host name resolves to, which in a sandbox without a network can take
 * connections that never complete (a CI run sat there for five minutes). Past `deadlineMs` every rank is killed and
 * the error carries what each printed, instead of a bare test timeout.
 */
export async function runDistributed(
  dir: string,
  args: string[],
  world: number,
  deadlineMs = 120_000,
): Promise<string[]> {
  if (!TORCH_PY) throw new Error('no python with torch');
  const port = String(20000 + Math.floor(Math.random() * 20000));
  const outs = Array.from({ length: world }, () => '');
  const children = outs.map((_, rank) =>
    spawn(TORCH_PY ?? 'python3', ['train.py', ...args], {
      cwd: dir,
      env: {
        ...process.env,
        OMP_NUM_THREADS: '1',
        GLOO_SOCKET_IFNAME: 'lo',
        WORLD_SIZE: String(world),
        RANK: String(rank),
        LOCAL_RANK: String(rank),
        MASTER_ADDR: '127.0.0.1',
        MASTER_PORT: port,
      },
    }),
  );
  const printed = () => outs.map((o, rank) => `rank ${rank}:\n${o}`).join('\n');
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      for (const c of children) c.kill('SIGKILL');
      reject(new Error(`${world} ranks had not finished after ${deadlineMs / 1000} s:\n${printed()}`));
    }, deadlineMs);
  });
  const runs = children.map((child, rank) => {
    child.stdout.on('data', (b: Buffer) => (outs[rank] += b.toString()));
    child.stderr.on('data', (b: Buffer) => (outs[rank] += b.toString()));
    return new Promise<string>((resolve, reject) =>
      child.on('close', (code) =>
        code === 0 ? resolve(outs[rank] ?? '') : reject(new Error(`rank ${rank} exited ${code}:\n${printed()}`)),
      ),
    );
  });
  try {
    return await Promise.race([Promise.all(runs), deadline]);
  } finally {
    clearTimeout(timer);
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  }
}

/** Runs the "Load and predict" Python snippet of the export's README.md in its directory; returns what it printed. */
export function runReadmeSnippet(dir: string): string {
  const readme = readFileSync(join(dir, 'README.md'), 'utf8');
  const code = /```python\n([\s\S]*?)```/.exec(readme)?.[1];
  if (!code) throw new Error('README.md has no python block');
  writeFileSync(join(dir, 'snippet.py'), code);
  return python(['snippet.py'], dir);
}
