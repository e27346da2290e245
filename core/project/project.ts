import type { Diagnostic } from '../graph/diagnostics';
import { jsonSyntaxMessage } from '../graph/json-error';
import { parseGraph, serializeGraph } from '../graph/io';
import { GRAPH_FORMAT, type Graph } from '../graph/model';
import {
  PROJECT_FORMAT,
  PROJECT_VERSION,
  projectHeaderSchema,
  projectSchema,
  type ProjectTraining,
  type RunMetrics,
} from './schema';

/** One training run kept in a project: its config, its loss series and final metrics, never tensors. */
export interface ProjectRun {
  id: string;
  name: string;
  createdAt: string;
  graph: Graph;
  training: ProjectTraining;
  metrics: RunMetrics;
  backend: string;
  weightsRef?: string;
  [extra: string]: unknown;
}

/** The app's save format (docs/graph-format.md): a graph with its training setup and run history. */
export interface Project {
  format: typeof PROJECT_FORMAT;
  version: typeof PROJECT_VERSION;
  graph: Graph;
  training: ProjectTraining;
  runs: ProjectRun[];
}

/** A parsed project, or one sentence saying why there is none. `diagnostics` carries graph warnings. */
export interface ProjectParse {
  project?: Project;
  error?: string;
  diagnostics: Diagnostic[];
}

const fail = (error: string, diagnostics: Diagnostic[] = []): ProjectParse => ({ error, diagnostics });

export const futureProjectMessage = (version: number): string =>
  `This project was saved by a newer Wordloom (project version ${version}); this app reads up to ${PROJECT_VERSION}.`;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A graph inside a project; `where` names it in messages ("The project's graph", `Run "r2"`). */
const readGraph = (input: unknown, where: string): { graph?: Graph; error?: string; diagnostics: Diagnostic[] } => {
  const { graph, diagnostics } = parseGraph(input, { fileName: where });
  if (graph) return { graph, diagnostics };
  const first = diagnostics.find((d) => d.severity === 'error') ?? diagnostics[0];
  return { error: first?.message ?? `${where} is not a Wordloom graph.`, diagnostics };
};

/** The first zod issue as "runs.0.backend: expected string". */
const firstIssue = (issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>): string => {
  const issue = issues[0];
  if (!issue) return 'unreadable';
  const path = issue.path.map(String).join('.');
  return path ? `${path}: ${issue.message}` : issue.message;
};

/**
 * Reads a project from untrusted data (the result of JSON.parse). A bare graph file is accepted too and
 * becomes a project with no runs, so File > Open works on templates and `*.wordloom.json` graphs.
 */
export function parseProject(input: unknown): ProjectParse {
  if (!isRecord(input)) return fail('This file is not a Wordloom project: it holds no JSON object.');
  if (input.format === GRAPH_FORMAT) {
    const g = readGraph(input, 'The graph file');
    return g.graph ? { project: newProject(g.graph), diagnostics: g.diagnostics } : fail(g.error ?? '', g.diagnostics);
  }
  const header = projectHeaderSchema.safeParse(input);
  if (!header.success || header.data.format !== PROJECT_FORMAT) {
    const format = typeof input.format === 'string' ? `its format is "${input.format}"` : 'it has no "format" field';
    return fail(`This file is not a Wordloom project (${format}; expected "${PROJECT_FORMAT}").`);
  }
  const { version } = header.data;
  if (!Number.isInteger(version) || version < 1)
    return fail(`This project file is corrupt: version ${version} does not exist.`);
  if (version > PROJECT_VERSION) return fail(futureProjectMessage(version));
  // Version 1 is the current format: older-version migrations go here, one step per bump, once there are any.
  const parsed = projectSchema.safeParse(input);
  if (!parsed.success) return fail(`This project file is corrupt: ${firstIssue(parsed.error.issues)}.`);

  const main = readGraph(parsed.data.graph, "The project's graph");
  if (!main.graph) return fail(main.error ?? '', main.diagnostics);
  const diagnostics = [...main.diagnostics];
  const runs: ProjectRun[] = [];
  for (const run of parsed.data.runs) {
    const g = readGraph(run.graph, `Run "${run.name || run.id}"`);
    if (!g.graph) return fail(g.error ?? '', g.diagnostics);
    runs.push({ ...run, graph: g.graph });
  }
  const project: Project = {
    format: PROJECT_FORMAT,
    version: PROJECT_VERSION,
    graph: main.graph,
    training: parsed.data.training,
    runs,
  };
  return { project, diagnostics };
}

/** parseProject for file text: JSON errors name the file, line and column. */
export function parseProjectText(text: string, fileName: string): ProjectParse {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text; // editors may add a byte-order mark
  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch (err) {
    return fail(jsonSyntaxMessage(body, err, fileName));
  }
  const result = parseProject(data);
  return result.error ? { ...result, error: `${fileName}: ${result.error}` } : result;
}

/** A project around a graph, with default training and no runs. */
export const newProject = (graph: Graph, training: ProjectTraining = {}): Project => ({
  format: PROJECT_FORMAT,
  version: PROJECT_VERSION,
  graph,
  training,
  runs: [],
});

/** A graph as the graph file format writes it (fixed key order, only saved fields), as a JSON value. */
const graphValue = (graph: Graph): unknown => JSON.parse(serializeGraph(graph));

/** The file text of a project: stable key order, two-space indent, trailing newline (diff-friendly). */
export const serializeProject = (project: Project): string => {
  const doc = {
    format: PROJECT_FORMAT,
    version: PROJECT_VERSION,
    graph: graphValue(project.graph),
    training: project.training,
    runs: project.runs.map((run) => ({ ...run, graph: graphValue(run.graph) })),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
};
