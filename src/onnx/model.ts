/**
 * ONNX ModelProto builder for the small graphs of the forward passes (field numbers from onnx.proto).
 * Graph inputs and outputs have symbolic dims, so one session serves every shape of a method.
 */
import { bytesField, concat, floatField, intField, messageField, stringField, type Field } from './protobuf.js';

/** onnx.TensorProto.DataType values used here. */
export const ONNX_TYPE = { float32: 1, int64: 7, float64: 11 } as const;
export type OnnxElementType = keyof typeof ONNX_TYPE;

export type Attribute = number | number[] | { float: number };

export interface OnnxNode {
  op: string;
  inputs: string[];
  outputs: string[];
  attributes?: Record<string, Attribute>;
}

export interface OnnxValue {
  name: string;
  type: OnnxElementType;
  /** A number is a fixed dim, a string a symbolic one. */
  dims: Array<number | string>;
}

/** An initializer: int64 for shapes and axes, or a scalar of the graph's float type. */
export interface OnnxConstant {
  name: string;
  type: OnnxElementType;
  dims: number[];
  values: number[];
}

export interface OnnxGraph {
  name: string;
  nodes: OnnxNode[];
  inputs: OnnxValue[];
  outputs: OnnxValue[];
  constants?: OnnxConstant[];
}

/** IR version 8 and opset 17: LayerNormalization's first opset; ONNX Runtime 1.x runs both. */
const IR_VERSION = 8;
const OPSET = 17;

const ATTRIBUTE_TYPE = { float: 1, int: 2, ints: 7 } as const;

function attribute(name: string, value: Attribute): Field {
  if (typeof value === 'number') return messageField(5, [stringField(1, name), intField(3, value), intField(20, ATTRIBUTE_TYPE.int)]);
  if (Array.isArray(value)) return messageField(5, [stringField(1, name), ...value.map((v) => intField(8, v)), intField(20, ATTRIBUTE_TYPE.ints)]);
  return messageField(5, [stringField(1, name), floatField(2, value.float), intField(20, ATTRIBUTE_TYPE.float)]);
}

function node(n: OnnxNode, index: number): Field {
  return messageField(1, [
    ...n.inputs.map((i) => stringField(1, i)),
    ...n.outputs.map((o) => stringField(2, o)),
    stringField(3, `${n.op}_${index}`),
    stringField(4, n.op),
    ...Object.entries(n.attributes ?? {}).map(([k, v]) => attribute(k, v)),
  ]);
}

function valueInfo(field: number, v: OnnxValue): Field {
  const dims = v.dims.map((d) => messageField(1, [typeof d === 'number' ? intField(1, d) : stringField(2, d)]));
  const tensorType = messageField(1, [intField(1, ONNX_TYPE[v.type]), messageField(2, dims)]);
  return messageField(field, [stringField(1, v.name), messageField(2, [tensorType])]);
}

/** Little-endian bytes of the values, as TensorProto.raw_data stores them. */
function rawData(type: OnnxElementType, values: readonly number[]): Uint8Array {
  const data = type === 'int64' ? BigInt64Array.from(values.map((v) => BigInt(v))) : type === 'float64' ? Float64Array.from(values) : Float32Array.from(values);
  return new Uint8Array(data.buffer);
}

function constant(c: OnnxConstant): Field {
  return messageField(5, [...c.dims.map((d) => intField(1, d)), intField(2, ONNX_TYPE[c.type]), stringField(8, c.name), bytesField(9, rawData(c.type, c.values))]);
}

/** The serialized ModelProto of one graph. */
export function encodeModel(g: OnnxGraph): Uint8Array {
  const graph = messageField(7, [
    ...g.nodes.map(node),
    stringField(2, g.name),
    ...(g.constants ?? []).map(constant),
    ...g.inputs.map((v) => valueInfo(11, v)),
    ...g.outputs.map((v) => valueInfo(12, v)),
  ]);
  return concat([intField(1, IR_VERSION), stringField(2, 'peft-lab'), graph, messageField(8, [stringField(1, ''), intField(2, OPSET)])]);
}

