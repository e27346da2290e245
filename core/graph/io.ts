import type { z } from 'zod';
import { error, type Diagnostic } from './diagnostics';
import { getNodeDef } from '../nodes/index';
import { jsonSyntaxMessage } from './json-error';
import { migrateGraphData, migrateNode } from './migrate';
import { displayText } from './display';
import { GRAPH_FORMAT, GRAPH_VERSION, type Graph, type GraphNode, type Group } from './model';
import { checkParams, nodeLabel, unknownTypeDiagnostic, type NodeRegistry } from './params';
import { graphHeaderSchema, graphSchema, type GraphFile } from './schema';

export interface ParseOptions {
  registry?: NodeRegistry;
  /** Names the file in messages, e.g. "mini-gpt.json". */
  fileName?: string;
}

export interface ParseResult {
  /** Absent only when the file cannot be read as a graph at all (bad envelope, newer version). */
  graph?: Graph;
  diagnostics: Diagnostic[];
}

/**
 * Reads a graph document from untrusted data: zod envelope → file migrations → node migrations
 * (by `typeVersion`) → param defaults → param validation. Nothing in the data is evaluated as code.
 * Unknown node types and invalid params are reported but kept, so saving never destroys them.
 */
export function parseGraph(input: unknown, options: ParseOptions = {}): ParseResult {
  const registry = options.registry ?? getNodeDef;
  const file = options.fileName ?? 'The graph file';
  if (!isRecord(input)) return fail(`${file} is not a Wordloom graph: expected a JSON object.`);
  const header = graphHeaderSchema.safeParse(input);
  if (!header.success) {
    if (input.format !== GRAPH_FORMAT)
      return fail(`${file} is not a Wordloom graph: its "format" is not "${GRAPH_FORMAT}".`);
    return fail(`${file} has no valid "version": expected a whole number from 1.`);
  }
  const migrated = migrateGraphData(input, header.data.version);
  if (!migrated.data) return { diagnostics: migrated.diagnostics };
  const parsed = graphSchema.safeParse(migrated.data);
  if (!parsed.success)
    return { diagnostics: parsed.error.issues.slice(0, 20).map((i) => issueDiagnostic(i, input, file)) };

  const diagnostics: Diagnostic[] = [];
  const nodes = parsed.data.nodes.map((raw) => {
    const { node, diagnostics: d } = normalizeNode(raw, registry);
    diagnostics.push(...d);
    return node;
  });
  const { name, description, edges } = parsed.data;
  const graph: Graph = { format: GRAPH_FORMAT, version: GRAPH_VERSION, name, nodes, edges };
  if (description !== undefined) graph.description = description;
  const groups = readGroups(parsed.data.groups, nodes, file, diagnostics);
  if (groups.length) graph.groups = groups;
  return { graph, diagnostics };
}

/** `parseGraph` of a file's text; a JSON syntax error becomes one sentence naming the file and line. */
export function parseGraphText(text: string, fileName?: string, registry?: NodeRegistry): ParseResult {
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, '')); // a BOM, as editors on Windows write it
  } catch (err) {
    return fail(jsonSyntaxMessage(text, err, fileName ?? 'The graph file'));
  }
  return parseGraph(data, { fileName, registry });
}

/** Stable, pretty JSON with a fixed key order: serialize → parse gives back an identical graph. */
export function serializeGraph(graph: Graph): string {
  const doc = {
    format: GRAPH_FORMAT,
    version: graph.version,
    name: graph.name,
    ...(graph.description !== undefined ? { description: graph.description } : {}),
    nodes: graph.nodes.map((n) => ({
      id: n.id,
      type: n.type,
      ...(n.typeVersion !== undefined ? { typeVersion: n.typeVersion } : {}),
      params: Object.fromEntries(
        Object.keys(n.params)
          .sort()
          .map((k) => [k, n.params[k]]),
      ),
      position: { x: n.position.x, y: n.position.y },
    })),
    edges: graph.edges.map((e) => ({
      id: e.id,
      from: { node: e.from.node, port: e.from.port },
      to: { node: e.to.node, port: e.to.port },
    })),
    ...(graph.groups?.length
      ? {
          groups: graph.groups.map((g) => ({ id: g.id, name: g.name, nodes: [...g.nodes], collapsed: g.collapsed })),
        }
      : {}),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

/**
 * The file's groups, each member an existing node in at most one group. A member that is missing or already
 * grouped is dropped with a warning naming both; a group left with no members goes. The graph itself is
 * never refused for a group: groups are a view.
 */
function readGroups(
  raw: readonly GraphFile['groups'][number][],
  nodes: GraphNode[],
  file: string,
  out: Diagnostic[],
): Group[] {
  const exists = new Set(nodes.map((n) => n.id));
  const owner = new Map<string, string>();
  const ids = new Set<string>();
  const groups: Group[] = [];
  for (const g of raw) {
    const label = `${file}: group "${displayText(g.id)}"`;
    if (ids.has(g.id)) {
      out.push(warning(`${label} appears twice; the second was dropped.`));
      continue;
    }
    ids.add(g.id);
    const members: string[] = [];
    for (const id of g.nodes) {
      const first = owner.get(id);
      if (!exists.has(id))
        out.push(
          warning(
            `${label} names node "${displayText(id)}", which the graph does not have; it was dropped from the group.`,
          ),
        );
      else if (first !== undefined)
        out.push(
          warning(`${label}: node "${displayText(id)}" is already in group "${displayText(first)}"; it stays there.`),
        );
      else {
        owner.set(id, g.id);
        members.push(id);
      }
    }
    if (members.length) groups.push({ id: g.id, name: g.name, nodes: members, collapsed: g.collapsed });
  }
  return groups;
}

const warning = (message: string): Diagnostic => ({ ...error('bad-file', message), severity: 'warning' });

function normalizeNode(raw: GraphNode, registry: NodeRegistry): { node: GraphNode; diagnostics: Diagnostic[] } {
  const def = registry(raw.type);
  if (!def) return { node: raw, diagnostics: [unknownTypeDiagnostic(raw)] };
  const migrated = migrateNode(raw, def);
  if (migrated.diagnostics.some((d) => d.code === 'future-version')) return migrated;
  const { params, diagnostics, unknown } = checkParams(migrated.node, def);
  for (const key of unknown) {
    const msg = `${nodeLabel(raw.type, raw.id)} has no param "${key}"; it was dropped.`;
    diagnostics.push({ ...error('bad-param', msg, { nodeId: raw.id, param: key }), severity: 'warning' });
  }
  return { node: { ...migrated.node, params }, diagnostics: [...migrated.diagnostics, ...diagnostics] };
}

function issueDiagnostic(issue: z.core.$ZodIssue, input: Record<string, unknown>, file: string): Diagnostic {
  const path = issue.path;
  const where: Partial<Diagnostic> = {};
  let place = path.length ? path.map(String).join('.') : 'the file';
  if ((path[0] === 'nodes' || path[0] === 'edges') && typeof path[1] === 'number') {
    const list = input[path[0]];
    const item: unknown = Array.isArray(list) ? list[path[1]] : undefined;
    const id = isRecord(item) && typeof item.id === 'string' ? item.id : undefined;
    const kind = path[0] === 'nodes' ? 'node' : 'edge';
    const rest = path.slice(2).map(String).join('.');
    place = `${id ? `${kind} "${id}"` : `${kind} #${path[1] + 1}`}${rest ? ` field "${rest}"` : ''}`;
    if (id) Object.assign(where, kind === 'node' ? { nodeId: id } : { edgeId: id });
    if (kind === 'node' && path[2] === 'params' && typeof path[3] === 'string') where.param = path[3];
  }
  const what = issue.message.charAt(0).toLowerCase() + issue.message.slice(1);
  return error('bad-file', `${file}: ${place}: ${what}.`, where);
}

const fail = (message: string): ParseResult => ({ diagnostics: [error('bad-file', message)] });

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
