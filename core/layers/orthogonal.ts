/**
 * A random (rows, cols) matrix whose shorter side is orthonormal, as Keras's Orthogonal initializer makes
 * (Saxe et al. 2014): the usual start for recurrent kernels. tf.js builds it with tf.linalg.qr, which takes
 * minutes on the cpu backend for a 256-unit LSTM; modified Gram-Schmidt in plain JS takes milliseconds.
 */
export function orthogonalMatrix(rows: number, cols: number, random: () => number = Math.random): Float32Array {
  const n = Math.max(rows, cols); // length of each basis vector
  const k = Math.min(rows, cols); // number of orthonormal vectors
  const basis: Float64Array[] = [];
  while (basis.length < k) {
    const v = Float64Array.from({ length: n }, () => gaussian(random));
    for (let pass = 0; pass < 2; pass++) {
      for (const b of basis) {
        let dot = 0;
        for (let i = 0; i < n; i++) dot += (v[i] ?? 0) * (b[i] ?? 0);
        for (let i = 0; i < n; i++) v[i] = (v[i] ?? 0) - dot * (b[i] ?? 0);
      }
    }
    let sq = 0;
    for (let i = 0; i < n; i++) sq += (v[i] ?? 0) ** 2;
    const norm = Math.sqrt(sq);
    if (norm < 1e-6) continue; // a (vanishingly unlikely) dependent draw: try again
    basis.push(v.map((x) => x / norm));
  }
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      // rows <= cols: the rows are the basis vectors; otherwise the columns are.
      out[r * cols + c] = rows <= cols ? (basis[r]?.[c] ?? 0) : (basis[c]?.[r] ?? 0);
    }
  }
  return out;
}

function gaussian(random: () => number): number {
  const u = 1 - random(); // (0, 1]
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}
