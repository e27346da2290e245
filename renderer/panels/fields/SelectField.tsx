import type { SelectSpec } from '../../../core/params/spec';
import { FieldShell } from './FieldShell';
import { useParam } from './useParam';

export function SelectField({ nodeId, name, spec }: { nodeId: string; name: string; spec: SelectSpec }) {
  const { value, problem, setValue } = useParam(nodeId, name);
  const current = typeof value === 'string' ? value : String(value);
  // A value from a file that is not an option stays visible (and flagged) rather than silently replaced.
  const options = spec.options.includes(current) ? spec.options : [current, ...spec.options];
  return (
    <FieldShell name={name} doc={spec.doc} problem={problem}>
      <select
        id={`param-${name}`}
        className="field-input"
        value={current}
        onChange={(e) => setValue(e.target.value)}
        data-testid={`param-${name}`}
      >
        {options.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
    </FieldShell>
  );
}
