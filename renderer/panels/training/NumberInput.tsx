import { useEffect, useState } from 'react';

interface Props {
  label: string;
  value: number;
  min: number;
  max?: number;
  step?: number;
  integer?: boolean;
  testId: string;
  title?: string;
  onCommit: (value: number) => void;
}

/** A number field that keeps what is typed and commits only valid values; an invalid entry is shown as such. */
export function NumberInput({ label, value, min, max, step, integer, testId, title, onCommit }: Props) {
  const [text, setText] = useState(String(value));
  useEffect(() => setText(String(value)), [value]);
  const parse = (s: string): number | null => {
    const n = Number(s);
    const ok =
      s.trim() !== '' &&
      Number.isFinite(n) &&
      n >= min &&
      (max === undefined || n <= max) &&
      (!integer || Number.isInteger(n));
    return ok ? n : null;
  };
  const isValid = parse(text) !== null;
  return (
    <label className="train-field" title={title}>
      <span>{label}</span>
      <input
        className={`field-input${isValid ? '' : ' invalid'}`}
        type="number"
        min={min}
        max={max}
        step={step ?? (integer ? 1 : 'any')}
        value={text}
        aria-invalid={!isValid}
        data-testid={testId}
        onChange={(e) => {
          setText(e.target.value);
          const v = parse(e.target.value);
          if (v !== null) onCommit(v);
        }}
      />
    </label>
  );
}
