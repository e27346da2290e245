import { safeName } from '../../compile/names';

/** Python keywords (hard and soft) and the builtins model.py uses by name. */
const PYTHON = [
  'False',
  'None',
  'True',
  'and',
  'as',
  'assert',
  'async',
  'await',
  'break',
  'class',
  'continue',
  'def',
  'del',
  'elif',
  'else',
  'except',
  'finally',
  'for',
  'from',
  'global',
  'if',
  'import',
  'in',
  'is',
  'lambda',
  'nonlocal',
  'not',
  'or',
  'pass',
  'raise',
  'return',
  'try',
  'while',
  'with',
  'yield',
  'case',
  'match',
  'type',
  'print',
  'len',
  'range',
  'tuple',
  'list',
  'dict',
  'super',
  'int',
  'float',
  'str',
  'open',
  'isinstance',
];

/** Public attributes of torch.nn.Module (1.13 and 2.x): a node attribute must not shadow them. */
const NN_MODULE = [
  'add_module',
  'apply',
  'bfloat16',
  'buffers',
  'call_super_init',
  'children',
  'compile',
  'cpu',
  'cuda',
  'double',
  'dump_patches',
  'eval',
  'extra_repr',
  'float',
  'forward',
  'get_buffer',
  'get_extra_state',
  'get_parameter',
  'get_submodule',
  'half',
  'ipu',
  'load_state_dict',
  'modules',
  'mtia',
  'named_buffers',
  'named_children',
  'named_modules',
  'named_parameters',
  'parameters',
  'register_backward_hook',
  'register_buffer',
  'register_forward_hook',
  'register_forward_pre_hook',
  'register_full_backward_hook',
  'register_full_backward_pre_hook',
  'register_load_state_dict_post_hook',
  'register_load_state_dict_pre_hook',
  'register_module',
  'register_parameter',
  'register_state_dict_post_hook',
  'register_state_dict_pre_hook',
  'requires_grad_',
  'set_extra_state',
  'set_submodule',
  'share_memory',
  'state_dict',
  'to',
  'to_empty',
  'train',
  'training',
  'xpu',
  'zero_grad',
  'T_destination',
];

/** Names model.py itself defines or uses inside `forward`. */
const MODEL_PY = [
  'self',
  'tokens',
  'keep',
  'x',
  'torch',
  'nn',
  'F',
  'math',
  'json',
  'os',
  'struct',
  'sys',
  'V',
  'C',
  'T',
  'TASK',
  'PAD_ID',
  'LABELS',
  'Model',
  'load_model',
];

const RESERVED = new Set([...PYTHON, ...NN_MODULE, ...MODEL_PY]);

/**
 * Python identifiers for node ids, in order: letters, digits and `_` (as tf.js layer names), a trailing `_`
 * where the name is a keyword, an nn.Module attribute or a name model.py uses, and a counter where two ids
 * would otherwise meet (`a-b` and `a_b` → `a_b`, `a_b2`). The same name serves as the module attribute, the
 * local variable in `forward` and the state_dict prefix.
 */
export function pythonNames(ids: readonly string[]): Map<string, string> {
  const taken = new Set<string>();
  const names = new Map<string, string>();
  for (const id of ids) {
    let base = safeName(id);
    if (RESERVED.has(base)) base = `${base}_`;
    let name = base;
    for (let k = 2; taken.has(name); k++) name = `${base}${k}`;
    taken.add(name);
    names.set(id, name);
  }
  return names;
}
