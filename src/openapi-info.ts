/** The OpenAPI document's info and tags: kept apart so the generator and the app share one copy. */
export const OPENAPI_INFO = {
  title: 'PEFT Lab',
  version: '0.1.0',
  description:
    'The arithmetic of parameter-efficient fine-tuning: exact parameter counts (as Hugging Face PEFT prints them), ' +
    'forward passes of LoRA, adapters, prefix and prompt tuning and IA3, memory and FLOPs estimates. ' +
    'Tensors are `{ "shape": [...], "data": [...] }` with `data` flat and row-major; Linear weights use PyTorch\'s ' +
    '`[out_features, in_features]` layout (the seed notebook\'s `x @ W0` layout is the transpose). ' +
    'Errors are RFC 9457 `application/problem+json`.',
  license: { name: 'MIT', identifier: 'MIT' },
};

export const OPENAPI_TAGS = [
  { name: 'meta', description: 'Health, readiness and catalogues.' },
  { name: 'forward', description: 'Forward passes of PEFT methods over real tensors.' },
  { name: 'parameters', description: 'Exact parameter accounting for real architectures.' },
  { name: 'models', description: 'Model presets (real Hugging Face config.json files).' },
  { name: 'estimates', description: 'Training and inference memory and FLOPs.' },
  { name: 'sweeps', description: 'A route over a grid of values, and methods compared on one model.' },
];
