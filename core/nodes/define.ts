import type * as tf from '@tensorflow/tfjs';
import type { ParamSpecs, ParamValues } from '../params/spec';
import type { Composite } from './composite';
import type { PytorchPart } from './pytorch';
import type { PortType, PortValue } from './shape';

/** Palette groups, in palette order. */
export const CATEGORIES = [
  'input',
  'embedding',
  'bag-of-words',
  'recurrent',
  'attention',
  'transformer',
  'layers',
  'heads',
] as const;
export type Category = (typeof CATEGORIES)[number];

/** The head fixes the task (docs/nodes.md). */
export type Task = 'next-token' | 'classify' | 'tag';

/** V and C come from the dataset and tokenizer at compile time; the user never types them. */
export interface Binding {
  /** Vocabulary size including the padding id 0. */
  vocabSize: number;
  /** Classes (classify) or tags (tag). */
  numClasses: number;
}

/** A node seen from elsewhere in the graph (e.g. the head looks up the Embedding it ties to). */
export interface NodeInfo {
  id: string;
  type: string;
  params: Record<string, number | boolean | string>;
  out?: PortValue;
}

export interface InferArgs<P extends ParamSpecs> {
  inputs: Record<string, PortValue>;
  params: ParamValues<P>;
  binding: Binding;
  /** Nodes of a type anywhere in the graph, with their inferred outputs where known. */
  nodesOfType: (type: string) => NodeInfo[];
}

/** Cost of one node for one example; `activations` counts floats kept for the backward pass. */
export interface Cost {
  params: number;
  flopsPerToken: number;
  activations: number;
}

export interface BuildArgs<P extends ParamSpecs> {
  inputs: Record<string, tf.SymbolicTensor>;
  params: ParamValues<P>;
  binding: Binding;
  /** The TokenInput's output (B, T) int32: nodes that must mask padding (id 0) take it as an extra input. */
  tokens: tf.SymbolicTensor;
  /** Unique, tf.js-safe layer name for this node; suffix it for a node that makes several layers. */
  name: string;
  /** The tf.js layer built for another node (e.g. the Embedding a tied head shares). */
  layerOf: (nodeId: string) => tf.layers.Layer | undefined;
  nodesOfType: (type: string) => NodeInfo[];
}

export interface BuildResult {
  out: tf.SymbolicTensor;
  /** The layer that owns this node's weights (for tying and inspection). */
  layer?: tf.layers.Layer;
  /** Attention nodes: a second output (B, heads, T, T) of attention probabilities, for inspection only. */
  attention?: tf.SymbolicTensor;
}

export interface NodeMigration {
  to: number;
  up: (params: Record<string, unknown>) => Record<string, unknown>;
}

/** A custom tf.js layer class, registered for serialization so saved models that use it load again. */
export type LayerClass = tf.serialization.SerializableConstructor<tf.serialization.Serializable>;

/** What other parts of the app may ask of a node type, instead of naming types. */
export interface Capabilities {
  /** Its build returns `attention` (B, heads, T, T): the attention panel can show it. */
  attentionMaps: boolean;
  /** It takes the tokens as an extra input and ignores padding (id 0): `keep` is passed to it in model.py. */
  masksPadding: boolean;
}

export interface NodeDef<P extends ParamSpecs = ParamSpecs> {
  /** Stable id stored in files (docs/nodes.md): never rename. */
  type: string;
  /** Bump and add a migration when params change. */
  version: number;
  label: string;
  category: Category;
  /** Teaching text: what it does, pros and cons. Shown in the inspector. */
  doc: string;
  /** Accepted port types per input port. The output port is always `out`. */
  inputs: Record<string, readonly PortType[]>;
  params: P;
  /** Params worth showing on the canvas node. */
  keyParams?: readonly (keyof P & string)[];
  /** Set on heads only. */
  head?: Task;
  infer: (args: InferArgs<P>) => PortValue;
  cost: (args: InferArgs<P> & { out: PortValue }) => Cost;
  build: (args: BuildArgs<P>) => BuildResult;
  /** Every custom layer class `build` may create (registered from here: see `registerCustomLayers`). */
  layers: readonly LayerClass[];
  /** Its model.py lines, Python module and state_dict mapping. */
  pytorch: PytorchPart;
  capabilities: Capabilities;
  /**
   * Checks that need only the rest of the graph, not this node's inputs (a tied head's Embedding). Shape inference
   * runs them when an input is missing, so a deleted reference is named rather than hidden behind "not connected";
   * they throw a ShapeError. `infer` still makes the same checks when the inputs are there.
   */
  checkGraph?: (args: Pick<InferArgs<P>, 'params' | 'nodesOfType'>) => void;
  /** Composite blocks only: the primitives it is, wired, with the weight mapping (core/shapes/expand.ts). */
  expand?: (args: { params: ParamValues<P>; inputs: Record<string, PortValue> }) => Composite;
  migrations: readonly NodeMigration[];
}

/** Erased form for the registry; each def is checked against its own params by `defineNode`. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyNodeDef = NodeDef<any>;

export const defineNode = <P extends ParamSpecs>(def: NodeDef<P>): NodeDef<P> => def;
