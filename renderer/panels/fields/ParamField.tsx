import type { ParamSpec } from '../../../core/params/spec';
import { BoolField } from './BoolField';
import { NumberField } from './NumberField';
import { SelectField } from './SelectField';

/** The widget a param spec asks for. */
export function ParamField({ nodeId, name, spec }: { nodeId: string; name: string; spec: ParamSpec }) {
  switch (spec.kind) {
    case 'int':
    case 'float':
      return <NumberField nodeId={nodeId} name={name} spec={spec} />;
    case 'select':
      return <SelectField nodeId={nodeId} name={name} spec={spec} />;
    case 'bool':
      return <BoolField nodeId={nodeId} name={name} spec={spec} />;
  }
}
