import { useEffect, useState } from 'react';
import type { FloatSpec, IntSpec } from '../../../core/params/spec';
import { parseNumberInput, showValue } from './paramInput';
import { FieldShell } from './FieldShell';
import { useParam } from './useParam';

/** An int or float param. What is typed is stored as typed; an invalid value turns red with the sentence. */
export function NumberField({ nodeId, name, spec }: { nodeId: string; name: string; spec: IntSpec | FloatSpec }) {
  const { value, problem, setValue } = useParam(nodeId, name);
  const [draft, setDraft] = useState(showValue(value));
  // Follow outside changes (undo, another field) without fighting the user's own typing.
  useEffect(() => {
    setDraft((d) => (parseNumberInput(d) === value ? d : showValue(value)));
  }, [value]);
  const range = `${spec.min} – ${spec.max}${spec.kind === 'int' ? ', whole' : ''}`;
  return (
    <FieldShell name={name} doc={spec.doc} problem={problem} hint={range}>
      <input
        id={`param-${name}`}
        className="field-input"
        type="text"
        inputMode={spec.kind === 'int' ? 'numeric' : 'decimal'}
        value={draft}
        aria-invalid={problem ? true : undefined}
        onChange={(e) => {
          setDraft(e.target.value);
          setValue(parseNumberInput(e.target.value));
        }}
        data-testid={`param-${name}`}
      />
    </FieldShell>
  );
}
