/**
 * Exports a run the worker holds (docs/cli.md `export`, from the app): the model lives in the worker, so the
 * exporters run there and only bytes cross to the page. Exporters load on demand: the tf.js runtime source
 * and the PyTorch writers are large, and most sessions never export.
 */
import type { RunFiles } from '../run/files';
import type { LoadedRun } from '../run/load';
import type { ExportFormat } from './protocol';

/** The files of one export format; `files` gives the run's own files (for the bundle). */
export async function exportFormat(
  format: ExportFormat,
  run: LoadedRun,
  files: () => Promise<RunFiles>,
): Promise<Record<string, Uint8Array>> {
  switch (format) {
    case 'tfjs': {
      const { exportTfjs } = await import('../export/tfjs/index');
      return exportTfjs(run);
    }
    case 'pytorch': {
      const { exportPytorch } = await import('../export/pytorch/index');
      return exportPytorch(run);
    }
    case 'bundle': {
      const { exportBundle } = await import('../export/bundle');
      return exportBundle(await files());
    }
  }
}
