/** User-caused problems are data, not exceptions (docs/architecture.md#errors). */
export type DiagnosticCode =
  | 'bad-file'
  | 'unknown-type'
  | 'bad-param'
  | 'duplicate-id'
  | 'dangling-edge'
  | 'unknown-port'
  | 'port-taken'
  | 'port-type'
  | 'cycle'
  | 'no-input'
  | 'many-inputs'
  | 'no-head'
  | 'many-heads'
  | 'unconnected'
  | 'shape-mismatch'
  | 'future-version';

export interface Diagnostic {
  severity: 'error' | 'warning';
  code: DiagnosticCode;
  message: string;
  nodeId?: string;
  edgeId?: string;
  port?: string;
  param?: string;
}

export const error = (code: DiagnosticCode, message: string, where: Partial<Diagnostic> = {}): Diagnostic => ({
  severity: 'error',
  code,
  message,
  ...where,
});
