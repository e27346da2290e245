import { error, type Diagnostic } from './diagnostics';
import type { AnyNodeDef } from '../nodes/define';
import { GRAPH_VERSION, type GraphNode, type ParamValue } from './model';

/** Raw file data between JSON.parse and the zod schema of its version. */
export type RawGraph = Record<string, unknown>;

/** One step of the file format: rewrites a version `from` file into version `from + 1`. */
export interface FileMigration {
  from: number;
  up: (data: RawGraph) => RawGraph;
}

/**
 * Every file-format step, in order, one per version bump, each with a comment naming what changed, and
 * an old-version fixture under tests/fixtures/graphs/vN/ with a test that it still loads.
 */
export const FILE_MIGRATIONS: readonly FileMigration[] = [
  // v1 → v2: named, collapsible groups of nodes (`groups: [{ id, name, nodes, collapsed }]`, issue 13).
  // A v1 file has none; an older Wordloom would drop them silently, hence the bump.
  { from: 1, up: (d) => ({ ...d, version: 2, groups: [] }) },
];

export const futureVersionMessage = (version: number, current = GRAPH_VERSION): string =>
  `This file was made by a newer Wordloom (graph version ${version}); this app reads up to ${current}.`;

/** Brings raw data of `version` up to `current`, or explains why it cannot. */
export function migrateGraphData(
  data: RawGraph,
  version: number,
  steps: readonly FileMigration[] = FILE_MIGRATIONS,
  current: number = GRAPH_VERSION,
): { data?: RawGraph; diagnostics: Diagnostic[] } {
  if (version > current) return { diagnostics: [error('future-version', futureVersionMessage(version, current))] };
  let out = data;
  for (let v = version; v < current; v++) {
    const step = steps.find((s) => s.from === v);
    // A missing step is our bug (a version bump without its migration), not the user's.
    if (!step) throw new Error(`No graph file migration from version ${v} to ${v + 1}.`);
    out = step.up(out);
  }
  return { data: { ...out, version: current }, diagnostics: [] };
}

const isParamValue = (v: unknown): v is ParamValue =>
  typeof v === 'boolean' || typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v));

/**
 * Runs a node's param migrations (def.migrations, as tldraw does per shape) when the file says which
 * version of the node type it was written for. A node without `typeVersion` is taken as current.
 */
export function migrateNode(node: GraphNode, def: AnyNodeDef): { node: GraphNode; diagnostics: Diagnostic[] } {
  const from = node.typeVersion;
  if (from === undefined || from === def.version) return { node, diagnostics: [] };
  const where = { nodeId: node.id };
  if (from > def.version) {
    const msg = `${def.type} "${node.id}" was made by a newer Wordloom (${def.type} version ${from}); this app reads up to ${def.version}.`;
    return { node, diagnostics: [error('future-version', msg, where)] };
  }
  const steps = [...def.migrations].filter((m) => m.to > from && m.to <= def.version).sort((a, b) => a.to - b.to);
  let raw: Record<string, unknown> = { ...node.params };
  for (const step of steps) raw = step.up(raw);
  const params: Record<string, ParamValue> = {};
  const diagnostics: Diagnostic[] = [];
  for (const [key, value] of Object.entries(raw)) {
    if (isParamValue(value)) params[key] = value;
    else
      diagnostics.push(
        error('bad-param', `${def.type} "${node.id}".${key}: migration gave an invalid value.`, {
          ...where,
          param: key,
        }),
      );
  }
  return { node: { ...node, params, typeVersion: def.version }, diagnostics };
}
