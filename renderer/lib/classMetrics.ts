/** Per-class accuracy (recall) from confusion counts [true][predicted]: hits over that class's examples. */
export function perClassAccuracy(counts: readonly (readonly number[])[]): number[] {
  return counts.map((row, i) => {
    const total = row.reduce((a, b) => a + b, 0);
    return total > 0 ? (row[i] ?? 0) / total : NaN;
  });
}
