/**
 * The safetensors format (huggingface/safetensors): an 8-byte little-endian header length N, N bytes of JSON
 * `{name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__"?: {string: string}}` padded with spaces to a
 * multiple of 8, then the tensors' raw little-endian bytes back to back. Only float32 (F32) is written here.
 */
import { z } from 'zod';
import { decodeUtf8, encodeUtf8 } from '../../data/utf8';

export interface NamedTensor {
  name: string;
  shape: number[];
  data: Float32Array;
}

interface HeaderEntry {
  dtype: string;
  shape: number[];
  data_offsets: [number, number];
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function floatBytes(data: Float32Array): Uint8Array {
  if (LITTLE_ENDIAN) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const out = new Uint8Array(data.length * 4);
  const view = new DataView(out.buffer);
  data.forEach((x, i) => view.setFloat32(i * 4, x, true));
  return out;
}

/** Tensors (in the given order) → one .safetensors file. Throws on a shape that does not match its data. */
export function writeSafetensors(tensors: readonly NamedTensor[], metadata: Record<string, string> = {}): Uint8Array {
  const header: Record<string, HeaderEntry | Record<string, string>> = {};
  if (Object.keys(metadata).length > 0) header.__metadata__ = { ...metadata };
  let offset = 0;
  for (const t of tensors) {
    const count = t.shape.reduce((a, b) => a * b, 1);
    if (count !== t.data.length)
      throw new Error(`safetensors: ${t.name} has shape [${t.shape}] but ${t.data.length} values`);
    if (t.name in header) throw new Error(`safetensors: two tensors are named ${t.name}`);
    header[t.name] = { dtype: 'F32', shape: [...t.shape], data_offsets: [offset, offset + 4 * count] };
    offset += 4 * count;
  }
  const json = encodeUtf8(JSON.stringify(header));
  const headLen = Math.ceil(json.length / 8) * 8;
  const out = new Uint8Array(8 + headLen + offset);
  const view = new DataView(out.buffer);
  view.setUint32(0, headLen, true); // the upper 4 bytes of the u64 stay 0: headers are far below 4 GB
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + headLen); // pad with spaces
  let at = 8 + headLen;
  for (const t of tensors) {
    out.set(floatBytes(t.data), at);
    at += t.data.byteLength;
  }
  return out;
}

const entrySchema = z.object({
  dtype: z.literal('F32'),
  shape: z.array(z.number().int().nonnegative()),
  data_offsets: z.tuple([z.number().int().nonnegative(), z.number().int().nonnegative()]),
});
const headerSchema = z.record(z.string(), z.unknown());
const metadataSchema = z.record(z.string(), z.string());

/** Reads a float32 safetensors file back (tests and tools); throws a sentence on anything else. */
export function readSafetensors(bytes: Uint8Array): { tensors: NamedTensor[]; metadata: Record<string, string> } {
  if (bytes.length < 8) throw new Error('safetensors: the file is shorter than its 8-byte header length.');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headLen = view.getUint32(0, true) + view.getUint32(4, true) * 2 ** 32;
  const text = 8 + headLen <= bytes.length ? decodeUtf8(bytes.subarray(8, 8 + headLen), true) : undefined;
  if (!text?.ok) throw new Error('safetensors: the header is not UTF-8 text inside the file.');
  const header = headerSchema.parse(JSON.parse(text.text));
  const base = 8 + headLen;
  let metadata: Record<string, string> = {};
  const tensors: NamedTensor[] = [];
  for (const [name, raw] of Object.entries(header)) {
    if (name === '__metadata__') {
      metadata = metadataSchema.parse(raw);
      continue;
    }
    const e = entrySchema.safeParse(raw);
    if (!e.success) throw new Error(`safetensors: tensor ${name} is not a float32 entry.`);
    const [begin, end] = e.data.data_offsets;
    if (base + end > bytes.length || end < begin) throw new Error(`safetensors: tensor ${name} lies outside the file.`);
    const data = new Float32Array((end - begin) / 4);
    const dv = new DataView(bytes.buffer, bytes.byteOffset + base + begin, end - begin);
    for (let i = 0; i < data.length; i++) data[i] = dv.getFloat32(i * 4, true);
    tensors.push({ name, shape: e.data.shape, data });
  }
  return { tensors, metadata };
}
