import type { ForwardMethod } from '../forward/method.js';
import { adapter } from './adapter.js';
import { ia3 } from './ia3.js';
import { lora } from './lora.js';
import { prefix } from './prefix.js';
import { prompt } from './prompt.js';

/** The forward-pass methods by route name; a worker thread looks its method up here. */
export const FORWARD_METHODS: Record<string, ForwardMethod<never>> = {
  lora: lora as ForwardMethod<never>,
  adapter: adapter as ForwardMethod<never>,
  prefix: prefix as ForwardMethod<never>,
  prompt: prompt as ForwardMethod<never>,
  ia3: ia3 as ForwardMethod<never>,
};
