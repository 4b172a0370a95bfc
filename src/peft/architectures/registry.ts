import type { Family } from './family.js';
import { bartFamily } from './families/bart.js';
import { bertFamilies } from './families/bert.js';
import { bloomFamily } from './families/bloom.js';
import { debertaV2Family } from './families/deberta-v2.js';
import { distilbertFamily } from './families/distilbert.js';
import { falconFamily } from './families/falcon.js';
import { gpt2Family } from './families/gpt2.js';
import { gptBigCodeFamily } from './families/gpt-bigcode.js';
import { gptjFamily } from './families/gptj.js';
import { gptNeoxFamily } from './families/gpt-neox.js';
import { llamaFamilies } from './families/llama.js';
import { optFamily } from './families/opt.js';
import { phiFamily } from './families/phi.js';
import { phi3Family } from './families/phi3.js';
import { t5Families } from './families/t5.js';
import { toyFamily } from './families/toy.js';
import { vitFamily } from './families/vit.js';
import { whisperFamily } from './families/whisper.js';

/** Every family the service builds. Adding a family is one line here. */
export const FAMILIES: readonly Family[] = [
  ...llamaFamilies,
  phiFamily,
  phi3Family,
  gpt2Family,
  gptBigCodeFamily,
  gptjFamily,
  optFamily,
  bloomFamily,
  gptNeoxFamily,
  falconFamily,
  ...bertFamilies,
  distilbertFamily,
  debertaV2Family,
  ...t5Families,
  bartFamily,
  vitFamily,
  whisperFamily,
  toyFamily,
];
