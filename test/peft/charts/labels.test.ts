import t from 'tap';
import { axisTitle, labelExpression, wantsLogScale } from '../../../src/peft/charts/labels.js';

t.test('log scale where positive values span two decades or more', async (t) => {
  t.equal(wantsLogScale([1, 100]), true);
  t.equal(wantsLogScale([122_880, 12_582_912]), true);
  t.equal(wantsLogScale([1, 99]), false, 'under two decades stays linear');
  t.equal(wantsLogScale([0, 1000]), false, 'a zero cannot sit on a log axis');
  t.equal(wantsLogScale([-1, 1000]), false);
  t.equal(wantsLogScale([]), false);
});

t.test('axis titles carry the unit; bytes name the binary convention', async (t) => {
  t.equal(axisTitle('trainable_params', 'parameters'), 'trainable_params (parameters)');
  t.equal(axisTitle('relative_training_speed', ''), 'relative_training_speed');
  t.equal(axisTitle('total_bytes', 'bytes'), 'total_bytes (bytes, 1 GiB = 2³⁰ B)');
});

t.test('label expressions per unit, over the given value expression', async (t) => {
  t.match(labelExpression('parameters', 'datum.value'), /replace\(.*'G', 'B'\)/, 'parameters write 10^9 as B');
  t.match(labelExpression('bytes', 'datum.x'), /datum\.x \/ 1073741824/);
  t.match(labelExpression('%', 'datum.note'), /format\(datum\.note, '\.3~r'\) \+ '%'/);
  t.equal(labelExpression('FLOPs/token', 'v'), labelExpression('FLOPs', 'v'));
  t.equal(labelExpression('', 'datum.value'), undefined, 'a pure number keeps vega’s format');
});
