/**
 * tf.js layer names for node ids. A node may make several layers by suffixing its name with `_…`,
 * so two names clash when they are equal or one starts with the other plus `_`; such a pair gets
 * an underscore-free name with a counter instead (e.g. "ff" and "ff_up" → "ff_up" and "ff2").
 */
export function layerNames(ids: readonly string[], reserved: readonly string[] = []): Map<string, string> {
  const taken = new Taken(reserved);
  const names = new Map<string, string>();
  for (const id of ids) {
    let name = safeName(id);
    if (taken.clashes(name)) {
      const bare = name.replace(/_/g, '');
      name = bare;
      for (let k = 2; taken.clashes(name); k++) name = `${bare}${k}`;
    }
    taken.add(name);
    names.set(id, name);
  }
  return names;
}

/**
 * The names given so far, with every prefix that ends before an `_`, so a clash check is a few set
 * lookups rather than a scan of all names (a graph may have 10,000 blocks).
 */
class Taken {
  private readonly names = new Set<string>();
  private readonly stems = new Set<string>();
  constructor(initial: readonly string[]) {
    for (const n of initial) this.add(n);
  }
  add(name: string): void {
    this.names.add(name);
    for (const stem of stemsOf(name)) this.stems.add(stem);
  }
  /** Whether `name` clashes with a taken t: equal, t starts with `name_`, or `name` starts with `t_`. */
  clashes(name: string): boolean {
    return this.names.has(name) || this.stems.has(name) || stemsOf(name).some((s) => this.names.has(s));
  }
}

/** "a_b_c" → ["a", "a_b"]: each prefix followed by an underscore. */
function stemsOf(name: string): string[] {
  const out: string[] = [];
  for (let i = name.indexOf('_'); i >= 0; i = name.indexOf('_', i + 1)) out.push(name.slice(0, i));
  return out;
}

/** Letters, digits and `_`, starting with a letter. */
export function safeName(id: string): string {
  const s = id.replace(/[^A-Za-z0-9_]/g, '_');
  return /^[A-Za-z]/.test(s) ? s : `n${s}`;
}

