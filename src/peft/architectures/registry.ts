import type { Family } from './family.js';
import { bartFamily } from './families/bart.js';
import { bertFamilies } from './families/bert.js';
import { bloomFamily } from './families/bloom.js';
import { falconFamily } from './families/falcon.js';
import { gpt2Family } from './families/gpt2.js';
import { gptNeoxFamily } from './families/gpt-neox.js';
import { llamaFamilies } from './families/llama.js';
import { optFamily } from './families/opt.js';
import { phiFamily } from './families/phi.js';
import { t5Families } from './families/t5.js';
import { toyFamily } from './families/toy.js';
import { vitFamily } from './families/vit.js';
import { whisperFamily } from './families/whisper.js';

/** Every family the service builds. Adding a family is one line here. */
export const FAMILIES: readonly Family[] = [
  ...llamaFamilies,
  phiFamily,
  gpt2Family,
  optFamily,
  bloomFamily,
  gptNeoxFamily,
  falconFamily,
  ...bertFamilies,
  ...t5Families,
  bartFamily,
  vitFamily,
  whisperFamily,
  toyFamily,
];
