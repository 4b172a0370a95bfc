import type { Family } from './family.js';
import { llamaFamilies } from './families/llama.js';
import { toyFamily } from './families/toy.js';

/** Every family the service builds. Adding a family is one line here. */
export const FAMILIES: readonly Family[] = [...llamaFamilies, toyFamily];
