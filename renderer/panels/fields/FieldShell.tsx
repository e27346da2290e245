import type { ReactNode } from 'react';

/** Label, control, hint and the red sentence of one param field. */
export function FieldShell(props: { name: string; doc: string; hint?: string; problem?: string; children: ReactNode }) {
  const { name, doc, hint, problem, children } = props;
  return (
    <div className={`field${problem ? ' field-invalid' : ''}`} data-testid={`field-${name}`}>
      <label htmlFor={`param-${name}`} title={doc}>
        {name}
        {hint && <span className="field-hint">{hint}</span>}
      </label>
      {children}
      {problem ? (
        <div className="field-error" role="alert" data-testid={`param-error-${name}`}>
          {problem}
        </div>
      ) : (
        <div className="field-doc">{doc}</div>
      )}
    </div>
  );
}
