/**
 * Builds an OnnxGraph node by node with fresh value names, in one float type (the pass's dtype).
 * Scalar constants are stored in that type; shapes, axes and slice bounds are int64.
 */
import type { DType } from '../tensor/tensor.js';
import type { Attribute, OnnxConstant, OnnxGraph, OnnxNode, OnnxValue } from './model.js';

export class GraphBuilder {
  private readonly nodes: OnnxNode[] = [];
  private readonly inputs: OnnxValue[] = [];
  private readonly outputs: OnnxValue[] = [];
  private readonly constants: OnnxConstant[] = [];
  private count = 0;

  constructor(
    private readonly name: string,
    readonly dtype: DType,
  ) {}

  /** A float input of the graph's dtype (dims may be symbolic names). */
  input(name: string, dims: Array<number | string>): string {
    this.inputs.push({ name, type: this.dtype, dims });
    return name;
  }

  /** An int64 input: shapes and bounds that depend on the request's dimensions. */
  intInput(name: string, length: number): string {
    this.inputs.push({ name, type: 'int64', dims: [length] });
    return name;
  }

  scalar(value: number): string {
    const name = `c${this.count++}`;
    this.constants.push({ name, type: this.dtype, dims: [], values: [value] });
    return name;
  }

  ints(values: number[]): string {
    const name = `c${this.count++}`;
    this.constants.push({ name, type: 'int64', dims: [values.length], values });
    return name;
  }

  /** Add one node and return its (single) output's name. Empty input names are ONNX's omitted optional inputs. */
  op(op: string, inputs: string[], attributes?: Record<string, Attribute>): string {
    const out = `v${this.count++}`;
    this.nodes.push({ op, inputs, outputs: [out], attributes });
    return out;
  }

  /** x·wᵀ (+ bias): Gemm with transB, on 2-D x. */
  linear(x: string, weight: string, bias?: string): string {
    return this.op('Gemm', bias ? [x, weight, bias] : [x, weight], { transB: 1 });
  }

  /** Name `value` as a graph output. */
  output(name: string, value: string, dims: Array<number | string>): void {
    this.nodes.push({ op: 'Identity', inputs: [value], outputs: [name] });
    this.outputs.push({ name, type: this.dtype, dims });
  }

  build(): OnnxGraph {
    return { name: this.name, nodes: this.nodes, inputs: this.inputs, outputs: this.outputs, constants: this.constants };
  }
}
