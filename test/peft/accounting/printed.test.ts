import t from 'tap';
import { formatFixed, formatFixed4, formatThousands, printedLine } from '../../../src/peft/accounting/printed.js';

t.test('.4f rounds an exact binary tie half-to-even, as Python does', async (t) => {
  // 100 * 1 / 3200 = 0.03125 exactly: Python prints 0.0312, JS toFixed(4) prints 0.0313.
  t.equal(printedLine(1, 3200), 'trainable params: 1 || all params: 3,200 || trainable%: 0.0312');
  t.equal((100 / 3200).toFixed(4), '0.0313', 'the JS behaviour we must not copy');
  t.equal(formatFixed4(0.03125), '0.0312');
  t.equal(formatFixed4(0.03135), '0.0314', '0.03135 is not a binary tie: its double lies above the midpoint');
  t.equal(formatFixed4(0.00015), '0.0001', 'double of 0.00015 lies below the midpoint');
  t.equal(formatFixed4(0.00375), '0.0037', 'the double nearest 0.00375 lies below it');
  t.equal(formatFixed4(2.5e-5), '0.0000', 'tiny values');
  t.equal(formatFixed4(100), '100.0000');
  t.equal(formatFixed4(0), '0.0000');
  t.equal(formatFixed4(-0.03125), '-0.0312');
  t.equal(formatFixed4(5e-324), '0.0000', 'subnormal');
  t.equal(formatFixed4(12.34565), '12.3456', 'below the midpoint in binary');
  t.equal(formatFixed4(0.06875), '0.0688', 'tie 0.06875 (=11/160) is not exact in binary; its double is above');
  t.equal(formatFixed4(0.40625), '0.4062', 'an exact binary tie rounds to even (2)');
  t.equal(formatFixed4(0.21875), '0.2188', 'an exact binary tie rounds to even (8)');
  t.throws(() => formatFixed4(Number.NaN));
});

t.test('thousands separators as Python {:,d}', async (t) => {
  t.equal(formatThousands(0), '0');
  t.equal(formatThousands(999), '999');
  t.equal(formatThousands(1000), '1,000');
  t.equal(formatThousands(6738415616), '6,738,415,616');
});

t.test('formatFixed is Python\'s .Nf at other widths (DeepSpeed prints .2f)', async (t) => {
  // Python: f"{0.125:.2f}" 0.12 (exact tie, even), f"{0.375:.2f}" 0.38, f"{2.675:.2f}" 2.67 (the double lies below), f"{1234.5678:.2f}" 1234.57.
  t.equal(formatFixed(0.125, 2), '0.12');
  t.equal(formatFixed(0.375, 2), '0.38');
  t.equal(formatFixed(2.675, 2), '2.67');
  t.equal(formatFixed(1234.5678, 2), '1234.57');
  t.equal(formatFixed(-1.5, 1), '-1.5');
});
