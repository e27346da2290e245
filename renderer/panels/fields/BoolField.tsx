import type { BoolSpec } from '../../../core/params/spec';
import { FieldShell } from './FieldShell';
import { useParam } from './useParam';

export function BoolField({ nodeId, name, spec }: { nodeId: string; name: string; spec: BoolSpec }) {
  const { value, problem, setValue } = useParam(nodeId, name);
  return (
    <FieldShell name={name} doc={spec.doc} problem={problem}>
      <input
        id={`param-${name}`}
        type="checkbox"
        className="field-check"
        checked={value === true}
        onChange={(e) => setValue(e.target.checked)}
        data-testid={`param-${name}`}
      />
    </FieldShell>
  );
}
