/** Param specs: one declaration drives defaults, validation, file parsing and the inspector form. */

export interface IntSpec {
  kind: 'int';
  default: number;
  min: number;
  max: number;
  doc: string;
}
export interface FloatSpec {
  kind: 'float';
  default: number;
  min: number;
  max: number;
  step?: number;
  doc: string;
}
export interface BoolSpec {
  kind: 'bool';
  default: boolean;
  doc: string;
}
export interface SelectSpec<O extends string = string> {
  kind: 'select';
  default: O;
  options: readonly O[];
  doc: string;
}
export type ParamSpec = IntSpec | FloatSpec | BoolSpec | SelectSpec;
export type ParamSpecs = Record<string, ParamSpec>;

type ValueOf<S extends ParamSpec> = S extends SelectSpec<infer O>
  ? O
  : S extends BoolSpec
    ? boolean
    : number;
/** The typed param values a node's `infer`/`build` receive. */
export type ParamValues<P extends ParamSpecs> = { [K in keyof P]: ValueOf<P[K]> };

export const int = (s: Omit<IntSpec, 'kind'>): IntSpec => ({ kind: 'int', ...s });
export const float = (s: Omit<FloatSpec, 'kind'>): FloatSpec => ({ kind: 'float', ...s });
export const bool = (s: Omit<BoolSpec, 'kind'>): BoolSpec => ({ kind: 'bool', ...s });
export const select = <const O extends string>(s: Omit<SelectSpec<O>, 'kind'>): SelectSpec<O> => ({
  kind: 'select',
  ...s,
});

/** One clear sentence when `value` does not satisfy `spec`, else null. Never clamps. */
export function validateParam(name: string, spec: ParamSpec, value: unknown): string | null {
  switch (spec.kind) {
    case 'int':
      if (typeof value !== 'number' || !Number.isInteger(value)) return `${name} must be a whole number, got ${show(value)}`;
      if (value < spec.min || value > spec.max) return `${name} must be between ${spec.min} and ${spec.max}, got ${value}`;
      return null;
    case 'float':
      if (typeof value !== 'number' || !Number.isFinite(value)) return `${name} must be a number, got ${show(value)}`;
      if (value < spec.min || value > spec.max) return `${name} must be between ${spec.min} and ${spec.max}, got ${value}`;
      return null;
    case 'bool':
      return typeof value === 'boolean' ? null : `${name} must be true or false, got ${show(value)}`;
    case 'select':
      return typeof value === 'string' && (spec.options as readonly string[]).includes(value)
        ? null
        : `${name} must be one of ${spec.options.join(', ')}, got ${show(value)}`;
  }
}

export function defaultParams(specs: ParamSpecs): Record<string, number | boolean | string> {
  const out: Record<string, number | boolean | string> = {};
  for (const [k, s] of Object.entries(specs)) out[k] = s.default;
  return out;
}

function show(v: unknown): string {
  return typeof v === 'string' ? `"${v}"` : JSON.stringify(v) ?? String(v);
}
