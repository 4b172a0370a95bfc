import { z } from 'zod';

/** The 200 bodies of the chart formats, as the OpenAPI document describes them. */
export const SvgDocumentSchema = z
  .string()
  .describe('A standalone SVG document (image/svg+xml) rendered server-side by vega from the vega-lite spec: a title, and axis titles with units.');

export const VegaLiteSpecSchema = z
  .looseObject({
    $schema: z.literal('https://vega.github.io/schema/vega-lite/v6.json'),
    title: z.union([z.string(), z.looseObject({ text: z.string() })]),
  })
  .meta({
    id: 'VegaLiteSpec',
    description:
      'A vega-lite v6 spec with its data inline (`data.values`, nothing to load): paste it into the Vega editor (https://vega.github.io/editor) or render it with vega-embed. The SVG format is this spec rendered.',
  });

export const CsvDocumentSchema = z.string().describe('RFC 4180 CSV: a header line, then one CRLF-terminated record per row.');
