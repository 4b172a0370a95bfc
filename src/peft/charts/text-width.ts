/**
 * Text widths for layout without a canvas. Vega then guesses 0.8 em per character, about half again
 * a sans-serif's real width, so long titles pushed panels apart. These are Helvetica/Arial's widths
 * by character class (in em), the font the SVG names; the browser still draws the real glyphs.
 */
import * as vega from 'vega';

interface TextItem {
  text?: string | string[];
  fontSize?: number;
  fontWeight?: string | number;
}

interface TextMetrics {
  width: (item: TextItem, text?: string) => number;
}

const NARROW = new Set(" il.,:;'|!ijtf()[]I-");
const WIDE = new Set('mwMW%');

function charWidth(c: string): number {
  if (NARROW.has(c)) return 0.28;
  if (WIDE.has(c)) return 0.85;
  if (c >= 'A' && c <= 'Z') return 0.68;
  if (c >= 'a' && c <= 'z') return 0.52;
  return 0.56; // digits and the rest
}

/** Width in pixels of `text` (or the item's own text) at the item's size; bold runs about 6 % wider. */
export function sansSerifWidth(item: TextItem, text?: string): number {
  const value = text ?? (Array.isArray(item.text) ? item.text.join(' ') : (item.text ?? ''));
  const size = item.fontSize ?? 11;
  const bold = item.fontWeight === 'bold' || Number(item.fontWeight) >= 600 ? 1.06 : 1;
  let em = 0;
  for (const c of String(value)) em += charWidth(c);
  return em * size * bold;
}

/** vega-scenegraph's hook for a custom measure (vl-convert uses it too); typed loosely in vega's typings. */
export function useSansSerifWidths(): void {
  (vega as unknown as { textMetrics: TextMetrics }).textMetrics.width = sansSerifWidth;
}
