/**
 * tf.js layer names for node ids. A node may make several layers by suffixing its name with `_…`,
 * so two names clash when they are equal or one starts with the other plus `_`; such a pair gets
 * an underscore-free name with a counter instead (e.g. "ff" and "ff_up" → "ff_up" and "ff2").
 */
export function layerNames(ids: readonly string[], reserved: readonly string[] = []): Map<string, string> {
  const taken: string[] = [...reserved];
  const names = new Map<string, string>();
  for (const id of ids) {
    let name = safeName(id);
    if (taken.some((t) => clash(t, name))) {
      const bare = name.replace(/_/g, '');
      name = bare;
      for (let k = 2; taken.some((t) => clash(t, name)); k++) name = `${bare}${k}`;
    }
    taken.push(name);
    names.set(id, name);
  }
  return names;
}

/** Letters, digits and `_`, starting with a letter. */
export function safeName(id: string): string {
  const s = id.replace(/[^A-Za-z0-9_]/g, '_');
  return /^[A-Za-z]/.test(s) ? s : `n${s}`;
}

const clash = (a: string, b: string): boolean => a === b || a.startsWith(`${b}_`) || b.startsWith(`${a}_`);
