import { error, type Diagnostic } from './diagnostics';
import type { AnyNodeDef } from '../nodes/define';
import { validateParam, type ParamSpecs } from '../params/spec';
import { displayText } from './display';
import type { GraphNode, ParamValue } from './model';

/** Looks up a node type's definition; the app passes `getNodeDef`, tests pass a fake catalog. */
export type NodeRegistry = (type: string) => AnyNodeDef | undefined;

/** `LSTM "lstm_2"`: how messages name a node. */
export const nodeLabel = (type: string, id: string): string => `${displayText(type)} "${displayText(id)}"`;

/**
 * A node's params with the def's defaults filled in for missing ones, and one diagnostic per invalid
 * value (naming the param). Values are never clamped or replaced: an invalid value stays as given.
 * Params the def does not know are kept in `unknown` (the caller decides whether to warn).
 */
export function checkParams(
  node: GraphNode,
  def: AnyNodeDef,
): { params: Record<string, ParamValue>; diagnostics: Diagnostic[]; unknown: string[] } {
  const params: Record<string, ParamValue> = {};
  const diagnostics: Diagnostic[] = [];
  const specs: ParamSpecs = def.params;
  for (const [key, spec] of Object.entries(specs)) {
    const value = Object.hasOwn(node.params, key) ? node.params[key] : spec.default;
    params[key] = value;
    const problem = validateParam(key, spec, value);
    if (problem) {
      const msg = `${nodeLabel(node.type, node.id)}: ${problem}.`;
      diagnostics.push(error('bad-param', msg, { nodeId: node.id, param: key }));
    }
  }
  const unknown = Object.keys(node.params).filter((k) => !Object.hasOwn(specs, k));
  return { params, diagnostics, unknown };
}

export const unknownTypeDiagnostic = (node: GraphNode): Diagnostic =>
  error('unknown-type', `Node "${displayText(node.id)}" has an unknown type "${displayText(node.type)}".`, { nodeId: node.id });
