/**
 * An SVG document parsed strictly (fast-xml-parser's validator, then its parser) into a small tree
 * that tests can query: elements by tag and class, and the text they hold.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';

export interface SvgElement {
  tag: string;
  attributes: Record<string, string>;
  children: SvgElement[];
  text: string;
}

type Ordered = Array<Record<string, unknown>>;

function toElement(tag: string, node: Record<string, unknown>): SvgElement {
  const children: SvgElement[] = [];
  let text = '';
  for (const child of node[tag] as Ordered) {
    if ('#text' in child) text += String(child['#text']);
    else {
      const childTag = Object.keys(child).find((k) => k !== ':@') as string;
      children.push(toElement(childTag, child));
    }
  }
  const attributes = (node[':@'] ?? {}) as Record<string, string>;
  return { tag, attributes, children, text };
}

/** Throws with the parser's line and reason when the document is not well-formed XML with one <svg> root. */
export function parseSvg(svg: string): SvgElement {
  const valid = XMLValidator.validate(svg);
  if (valid !== true) throw new Error(`not well-formed XML: line ${valid.err.line}: ${valid.err.msg}`);
  const parsed = new XMLParser({ preserveOrder: true, ignoreAttributes: false, attributeNamePrefix: '', trimValues: false }).parse(svg) as Ordered;
  const roots = parsed.filter((n) => !('#text' in n));
  if (roots.length !== 1 || !('svg' in roots[0])) throw new Error('expected a single <svg> root element');
  return toElement('svg', roots[0]);
}

/** Every element below `root` (itself included) that passes `keep`, in document order. */
export function findAll(root: SvgElement, keep: (e: SvgElement) => boolean): SvgElement[] {
  const found = keep(root) ? [root] : [];
  for (const child of root.children) found.push(...findAll(child, keep));
  return found;
}

/** Elements whose class attribute has every one of `classes`. */
export const byClass = (root: SvgElement, ...classes: string[]) =>
  findAll(root, (e) => {
    const own = (e.attributes.class ?? '').split(/\s+/);
    return classes.every((c) => own.includes(c));
  });

/** The text of every <text> element below `root` (vega puts each label in one). */
export const textsIn = (root: SvgElement) => findAll(root, (e) => e.tag === 'text').map((e) => e.text);

/** The vega-lite concat cells: one group per panel of a figure. */
export const panelGroups = (root: SvgElement) => byClass(root, 'mark-group', 'role-scope').filter((g) => /^concat_\d+_group$/.test(g.attributes.class.split(/\s+/).pop() ?? ''));
