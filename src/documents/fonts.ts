import { readFileSync } from 'node:fs';

export const FONT_REGULAR = 'Arbor-Regular';
export const FONT_BOLD = 'Arbor-Bold';

const FONT_FILES = {
  [FONT_REGULAR]: new URL('../../assets/fonts/DejaVuSans.ttf', import.meta.url),
  [FONT_BOLD]: new URL('../../assets/fonts/DejaVuSans-Bold.ttf', import.meta.url),
} as const;

type FontName = keyof typeof FONT_FILES;
const FONT_NAMES = [FONT_REGULAR, FONT_BOLD] as const satisfies readonly FontName[];

let buffers: Record<FontName, Buffer> | null = null;

/** The embedded TTF files, read once per process. */
export function fontBuffers(): Readonly<Record<FontName, Buffer>> {
  buffers ??= {
    [FONT_REGULAR]: readFileSync(FONT_FILES[FONT_REGULAR]),
    [FONT_BOLD]: readFileSync(FONT_FILES[FONT_BOLD]),
  };
  return buffers;
}

// pdfkit parses a font from its bytes for every document (fontkit tables, cmap, GSUB/GPOS): about
// 14 ms for the two faces, most of a one-page invoice. pdfkit has no public way to pass a parsed
// font, so the first document parses them the public way and later documents wrap the same
// fontkit objects in their own EmbeddedFont (own subset, widths and layout cache). Everything
// fontkit does here is synchronous, so documents rendered concurrently never interleave inside it.
interface PdfkitFontInternals {
  _fontFamilies: Record<string, { font: unknown; constructor: unknown } | undefined>;
  _fontCount: number;
}
type EmbeddedFontClass = new (doc: PDFKit.PDFDocument, font: unknown, id: string) => object;
let parsed: { EmbeddedFont: EmbeddedFontClass; fonts: Record<FontName, unknown> } | null = null;

function internals(doc: PDFKit.PDFDocument): PdfkitFontInternals | null {
  const d = doc as unknown as Partial<PdfkitFontInternals>;
  return typeof d._fontFamilies === 'object' && d._fontFamilies !== null && typeof d._fontCount === 'number'
    ? (d as PdfkitFontInternals)
    : null;
}

/**
 * Registers the embedded fonts on a new document (as FONT_REGULAR and FONT_BOLD) and selects the
 * regular face. Parses the fonts only for the first document of the process.
 */
export function applyEmbeddedFonts(doc: PDFKit.PDFDocument): void {
  const files = fontBuffers();
  for (const name of FONT_NAMES) doc.registerFont(name, files[name]);
  const inner = internals(doc);
  if (parsed && inner) {
    for (const name of FONT_NAMES) {
      inner._fontFamilies[name] = new parsed.EmbeddedFont(doc, parsed.fonts[name], `F${++inner._fontCount}`) as never;
    }
  } else {
    for (const name of FONT_NAMES) doc.font(name);
    const regular = inner?._fontFamilies[FONT_REGULAR];
    const bold = inner?._fontFamilies[FONT_BOLD];
    // If a pdfkit upgrade changes these internals, every document simply parses its own fonts again.
    if (regular && bold && typeof regular.constructor === 'function' && regular.font && bold.font) {
      parsed = {
        EmbeddedFont: regular.constructor as EmbeddedFontClass,
        fonts: { [FONT_REGULAR]: regular.font, [FONT_BOLD]: bold.font },
      };
    }
  }
  doc.font(FONT_REGULAR);
}
