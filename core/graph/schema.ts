import { z } from 'zod';
import { GRAPH_FORMAT } from './model';

/**
 * The zod envelope of a graph file (docs/graph-format.md). Unknown extra fields are tolerated and dropped:
 * only what the model describes is kept and saved. Param values are checked against each node's
 * param specs later (io.ts), where the message can name the node and the param.
 */

/** Just enough to pick the migrations: read before the full schema so a newer file is not misreported. */
export const graphHeaderSchema = z.object({
  format: z.literal(GRAPH_FORMAT),
  version: z.number().int().min(1),
});

const finite = z.number().refine(Number.isFinite, 'expected a finite number');

export const portRefSchema = z.object({
  node: z.string().min(1),
  port: z.string().min(1),
});

export const paramValueSchema = z.union([finite, z.boolean(), z.string()], {
  error: 'expected a number, true/false or text',
});

export const nodeSchema = z.object({
  id: z.string().min(1),
  type: z.string().min(1),
  params: z.record(z.string(), paramValueSchema).default({}),
  position: z.object({ x: finite, y: finite }).default({ x: 0, y: 0 }),
  typeVersion: z.number().int().min(1).optional(),
});

export const edgeSchema = z.object({
  id: z.string().min(1),
  from: portRefSchema,
  to: portRefSchema,
});

export const groupSchema = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  nodes: z.array(z.string().min(1)),
  collapsed: z.boolean().default(false),
});

/** The current (version 2) graph document. */
export const graphSchema = z.object({
  format: z.literal(GRAPH_FORMAT),
  version: z.number().int().min(1),
  name: z.string().default('Untitled'),
  description: z.string().optional(),
  nodes: z.array(nodeSchema),
  edges: z.array(edgeSchema).default([]),
  groups: z.array(groupSchema).default([]),
});

export type GraphFile = z.infer<typeof graphSchema>;
