import type { GraphBuilder } from '../../onnx/graph-builder.js';
import type { NonLinearity } from '../../tensor/activations.js';

/** The activations of tensor/activations.ts as ONNX nodes, by the same PyTorch definitions. */
export function activationNodes(g: GraphBuilder, h: string, name: NonLinearity): string {
  switch (name) {
    case 'relu':
      return g.op('Relu', [h]);
    case 'tanh':
      return g.op('Tanh', [h]);
    case 'silu':
      // x / (1 + e^−x), the reference's form (x·Sigmoid(x) would be fused into a float32-only QuickGelu)
      return g.op('Div', [h, g.op('Add', [g.op('Exp', [g.op('Neg', [h])]), g.scalar(1)])]);
    case 'gelu': {
      // 0.5·h·(1 + erf(h/√2))
      const erf = g.op('Erf', [g.op('Mul', [h, g.scalar(Math.SQRT1_2)])]);
      return g.op('Mul', [g.op('Mul', [h, g.scalar(0.5)]), g.op('Add', [erf, g.scalar(1)])]);
    }
    case 'gelu_tanh': {
      // 0.5·h·(1 + tanh(√(2/π)·(h + 0.044715·h³)))
      const cube = g.op('Mul', [g.op('Mul', [h, h]), h]);
      const inner = g.op('Mul', [g.op('Add', [h, g.op('Mul', [cube, g.scalar(0.044715)])]), g.scalar(Math.sqrt(2 / Math.PI))]);
      return g.op('Mul', [g.op('Mul', [h, g.scalar(0.5)]), g.op('Add', [g.op('Tanh', [inner]), g.scalar(1)])]);
    }
  }
}
