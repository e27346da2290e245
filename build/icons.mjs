// Draws the app icon (a "W" of wired blocks on a dark tile) and writes what electron-builder's targets take:
// build/icon.png (512×512: Linux, and the source for the others), build/icon.ico (Windows) and build/icon.icns
// (macOS). Pure Node, no ImageMagick: `node build/icons.mjs` regenerates all three; the files are committed.
import { Buffer } from 'node:buffer';
import { writeFileSync } from 'node:fs';
import process from 'node:process';
import { deflateSync } from 'node:zlib';
import { URL, fileURLToPath } from 'node:url';

const out = (name) => fileURLToPath(new URL(name, import.meta.url));

// ---- drawing: shapes in unit coordinates (0..1), 4×4 samples per pixel for smooth edges ----
const NODES = [
  [0.2, 0.3, [0.36, 0.55, 0.98]], // blue, like the Input category
  [0.35, 0.71, [0.61, 0.4, 0.93]], // purple (embedding)
  [0.5, 0.4, [0.88, 0.45, 0.23]], // orange (transformer)
  [0.65, 0.71, [0.2, 0.64, 0.52]], // green (recurrent)
  [0.8, 0.3, [0.36, 0.55, 0.98]],
];
const WIRE = [0.82, 0.87, 1];
const clamp = (x) => Math.max(0, Math.min(1, x));

function roundedSquare(x, y, r) {
  const qx = Math.abs(x - 0.5) - (0.5 - r);
  const qy = Math.abs(y - 0.5) - (0.5 - r);
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - r;
}
function segment(x, y, [ax, ay], [bx, by]) {
  const [px, py, dx, dy] = [x - ax, y - ay, bx - ax, by - ay];
  const t = clamp((px * dx + py * dy) / (dx * dx + dy * dy));
  return Math.hypot(px - t * dx, py - t * dy);
}

/** The colour (r, g, b, a in 0..1) at a point of the unit square. */
function shade(x, y) {
  if (roundedSquare(x, y, 0.2) > 0) return [0, 0, 0, 0];
  let c = [0.07 + 0.05 * (1 - y), 0.09 + 0.07 * (1 - y), 0.15 + 0.12 * (1 - y)]; // night blue, lighter at the top
  for (let i = 0; i + 1 < NODES.length; i++) {
    if (segment(x, y, NODES[i], NODES[i + 1]) < 0.028) c = WIRE;
  }
  for (const [nx, ny, colour] of NODES) {
    const d = Math.hypot(x - nx, y - ny);
    if (d < 0.085) c = d < 0.062 ? colour : [1, 1, 1];
  }
  return [...c, 1];
}

/** RGBA bytes of the icon at `size`×`size`. */
function render(size) {
  const px = new Uint8Array(size * size * 4);
  const n = 4;
  for (let j = 0; j < size; j++) {
    for (let i = 0; i < size; i++) {
      const acc = [0, 0, 0, 0];
      for (let sj = 0; sj < n; sj++) {
        for (let si = 0; si < n; si++) {
          const [r, g, b, a] = shade((i + (si + 0.5) / n) / size, (j + (sj + 0.5) / n) / size);
          acc[0] += r * a;
          acc[1] += g * a;
          acc[2] += b * a;
          acc[3] += a;
        }
      }
      const o = (j * size + i) * 4;
      const alpha = acc[3] / (n * n);
      for (let k = 0; k < 3; k++) px[o + k] = Math.round(acc[3] ? (acc[k] / acc[3]) * 255 : 0);
      px[o + 3] = Math.round(alpha * 255);
    }
  }
  return px;
}

// ---- encoders ----
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (buf) => {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const u32 = (n) => Buffer.from([n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255]);

function png(size) {
  const rgba = render(size);
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) raw.set(rgba.subarray(y * size * 4, (y + 1) * size * 4), y * (size * 4 + 1) + 1); // filter 0
  const chunk = (type, data) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    return Buffer.concat([u32(data.length), body, u32(crc32(body))]);
  };
  const ihdr = Buffer.concat([u32(size), u32(size), Buffer.from([8, 6, 0, 0, 0])]); // 8-bit RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** ICO with PNG-compressed entries (Windows Vista and later), 16 to 256 px. */
function ico(sizes) {
  const images = sizes.map(png);
  const header = Buffer.from([0, 0, 1, 0, sizes.length, 0]);
  let offset = 6 + 16 * sizes.length;
  const entries = images.map((img, i) => {
    const e = Buffer.alloc(16);
    e[0] = sizes[i] % 256; // 0 means 256
    e[1] = sizes[i] % 256;
    e.writeUInt16LE(1, 4); // colour planes
    e.writeUInt16LE(32, 6); // bits per pixel
    e.writeUInt32LE(img.length, 8);
    e.writeUInt32LE(offset, 12);
    offset += img.length;
    return e;
  });
  return Buffer.concat([header, ...entries, ...images]);
}

/** ICNS with PNG entries: ic07 128, ic08 256, ic09 512 (and their @2x aliases ic13, ic14). */
function icns() {
  const entries = [
    ['ic07', 128],
    ['ic08', 256],
    ['ic09', 512],
    ['ic13', 256],
    ['ic14', 512],
  ].map(([type, size]) => {
    const data = png(size);
    return Buffer.concat([Buffer.from(type, 'ascii'), u32(data.length + 8), data]);
  });
  const body = Buffer.concat(entries);
  return Buffer.concat([Buffer.from('icns', 'ascii'), u32(body.length + 8), body]);
}

writeFileSync(out('icon.png'), png(512));
writeFileSync(out('icon.ico'), ico([256, 128, 64, 48, 32, 16]));
writeFileSync(out('icon.icns'), icns());
process.stdout.write('wrote build/icon.png, build/icon.ico, build/icon.icns\n');
