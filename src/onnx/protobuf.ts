/**
 * The few protobuf wire-format writes an ONNX ModelProto needs (varint, length-delimited, fixed32):
 * enough to build small graphs in process without the onnx Python package or a protobuf dependency.
 */
export type Field = Uint8Array;

function varint(value: number): number[] {
  const out: number[] = [];
  let v = BigInt(value);
  if (v < 0n) v += 1n << 64n; // int64 two's complement, as protobuf encodes negative varints
  do {
    let byte = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) byte |= 0x80;
    out.push(byte);
  } while (v > 0n);
  return out;
}

const key = (field: number, wire: number): number[] => varint((field << 3) | wire);

export function concat(parts: readonly Field[]): Field {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export const intField = (field: number, value: number): Field => Uint8Array.from([...key(field, 0), ...varint(value)]);

export function bytesField(field: number, payload: Field): Field {
  return concat([Uint8Array.from([...key(field, 2), ...varint(payload.length)]), payload]);
}

export const stringField = (field: number, value: string): Field => bytesField(field, new TextEncoder().encode(value));

export const messageField = (field: number, parts: readonly Field[]): Field => bytesField(field, concat(parts));

export function floatField(field: number, value: number): Field {
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setFloat32(0, value, true);
  return concat([Uint8Array.from(key(field, 5)), bytes]);
}
