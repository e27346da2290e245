import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ioSource } from '../../../../core/export/pytorch/io-py';
import { readSafetensors, writeSafetensors, type NamedTensor } from '../../../../core/export/pytorch/safetensors';
import { NEEDS_TORCH, python, removeTempDirs, TORCH_PY, writeFiles } from './helpers';

afterAll(removeTempDirs);

const tensors: NamedTensor[] = [
  { name: 'emb.weight', shape: [3, 2], data: Float32Array.from([1, -2, 3.5, 1e-30, -0, 65504]) },
  { name: 'head.bias', shape: [3], data: Float32Array.from([0.1, Number.MAX_VALUE, -Infinity]) },
  { name: 'scalar', shape: [], data: Float32Array.from([42]) },
  { name: 'empty', shape: [0, 4], data: new Float32Array(0) },
];

describe('safetensors files', () => {
  it('lay out an 8-byte little-endian header length, space-padded JSON, then the data back to back', () => {
    const bytes = writeSafetensors(tensors, { format: 'pt' });
    const view = new DataView(bytes.buffer, bytes.byteOffset);
    const n = view.getUint32(0, true);
    expect(view.getUint32(4, true)).toBe(0);
    expect(n % 8).toBe(0);
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n))) as Record<string, unknown>;
    expect(header['__metadata__']).toEqual({ format: 'pt' });
    expect(header['emb.weight']).toEqual({ dtype: 'F32', shape: [3, 2], data_offsets: [0, 24] });
    expect(header['head.bias']).toEqual({ dtype: 'F32', shape: [3], data_offsets: [24, 36] });
    expect(header['empty']).toEqual({ dtype: 'F32', shape: [0, 4], data_offsets: [40, 40] });
    expect(bytes.length).toBe(8 + n + 40);
    expect(view.getFloat32(8 + n + 8, true)).toBe(3.5);
  });

  it('round-trip through the TypeScript reader bit for bit', () => {
    const back = readSafetensors(writeSafetensors(tensors, { a: 'b' }));
    expect(back.metadata).toEqual({ a: 'b' });
    expect(back.tensors).toEqual(tensors);
  });

  it('refuse a shape that does not match the data', () => {
    expect(() => writeSafetensors([{ name: 'x', shape: [2, 2], data: new Float32Array(3) }])).toThrow(
      'x has shape [2,2] but 3 values',
    );
  });

  it.skipIf(!TORCH_PY)(
    `are read by model.py's built-in reader and written back by its writer, bit for bit${NEEDS_TORCH}`,
    () => {
      const dir = writeFiles({ 'in.safetensors': writeSafetensors(tensors, { format: 'pt' }) }, 'wordloom-st-');
      writeFileSync(
        join(dir, 'io.py'),
        `import json, os, struct, sys\nimport torch\n${ioSource}\n` +
          `t = read_safetensors_builtin(sys.argv[1])\n` +
          `print(json.dumps({k: {"shape": list(v.shape), "dtype": str(v.dtype), "values": [repr(x) for x in v.flatten().tolist()]} for k, v in t.items()}))\n` +
          `write_safetensors(t, sys.argv[2], {"format": "pt"})\n`,
      );
      const seen = JSON.parse(python(['io.py', 'in.safetensors', 'out.safetensors'], dir)) as Record<
        string,
        { shape: number[]; dtype: string; values: string[] }
      >;
      expect(seen['emb.weight']).toEqual({
        shape: [3, 2],
        dtype: 'torch.float32',
        values: ['1.0', '-2.0', '3.5', '1.0000000031710769e-30', '-0.0', '65504.0'],
      });
      expect(seen['head.bias']?.values).toEqual(['0.10000000149011612', 'inf', '-inf']);
      expect(seen['scalar']).toEqual({ shape: [], dtype: 'torch.float32', values: ['42.0'] });
      expect(seen['empty']?.shape).toEqual([0, 4]);
      const back = readSafetensors(new Uint8Array(readFileSync(join(dir, 'out.safetensors'))));
      expect(back.tensors).toEqual(tensors);
      expect(back.metadata).toEqual({ format: 'pt' });
    },
  );
});
