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
// fontkit objects in their own EmbeddedFont (own subset, widths and unicode map). Shaped words
// (pdfkit's layout cache: glyph ids and positions, which pdfkit only reads) are shared as well.
// Everything fontkit does here is synchronous, so concurrent renders never interleave inside it.
interface EmbeddedFontInternals {
  font: unknown;
  layoutCache?: Record<string, unknown>;
  constructor: unknown;
}
interface PdfkitFontInternals {
  _fontFamilies: Record<string, EmbeddedFontInternals | undefined>;
  _fontCount: number;
}
type EmbeddedFontClass = new (doc: PDFKit.PDFDocument, font: unknown, id: string) => EmbeddedFontInternals;
interface ParsedFont {
  font: unknown;
  layoutCache: Record<string, unknown> | undefined;
}
let parsed: { EmbeddedFont: EmbeddedFontClass; fonts: Record<FontName, ParsedFont> } | null = null;
let documentsSinceCacheCheck = 0;
const MAX_CACHED_WORDS = 20_000;

function internals(doc: PDFKit.PDFDocument): PdfkitFontInternals | null {
  const d = doc as unknown as Partial<PdfkitFontInternals>;
  return typeof d._fontFamilies === 'object' && d._fontFamilies !== null && typeof d._fontCount === 'number'
    ? (d as PdfkitFontInternals)
    : null;
}

interface FontkitGlyph {
  _decode?: () => unknown;
  [MEMOIZED]?: true;
}
interface FontkitTtf {
  directory?: { tables?: Record<string, unknown> };
  getGlyph: (id: number, codePoints?: number[]) => FontkitGlyph;
}
const MEMOIZED = Symbol('arbor.memoizedGlyph');

/**
 * fontkit re-reads a glyph's outline each time a document's subset includes it, only to learn
 * whether it is composite; for a static TrueType font that outline never changes, so each glyph
 * object (fontkit keeps one per glyph id) remembers it.
 */
function memoizeGlyphOutlines(font: unknown): void {
  const ttf = font as Partial<FontkitTtf>;
  const tables = ttf.directory?.tables;
  if (!tables?.glyf || tables.fvar || typeof ttf.getGlyph !== 'function') return;
  const getGlyph = ttf.getGlyph.bind(ttf);
  ttf.getGlyph = (id, codePoints) => {
    const glyph = getGlyph(id, codePoints);
    const decode = glyph._decode;
    if (!glyph[MEMOIZED] && typeof decode === 'function') {
      let outline: unknown;
      let decoded = false;
      glyph._decode = function (this: FontkitGlyph) {
        if (!decoded) {
          outline = decode.call(this);
          decoded = true;
        }
        return outline;
      };
      glyph[MEMOIZED] = true;
    }
    return glyph;
  };
}

/** Keeps the shared word cache bounded: checked every 64 documents, emptied past 20,000 words. */
function boundLayoutCaches(fonts: Record<FontName, ParsedFont>): void {
  if (++documentsSinceCacheCheck < 64) return;
  documentsSinceCacheCheck = 0;
  for (const name of FONT_NAMES) {
    const cache = fonts[name].layoutCache;
    if (cache && Object.keys(cache).length > MAX_CACHED_WORDS) fonts[name].layoutCache = Object.create(null);
  }
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
    boundLayoutCaches(parsed.fonts);
    for (const name of FONT_NAMES) {
      const shared = parsed.fonts[name];
      const font = new parsed.EmbeddedFont(doc, shared.font, `F${++inner._fontCount}`);
      if (shared.layoutCache && font.layoutCache) font.layoutCache = shared.layoutCache;
      inner._fontFamilies[name] = font;
    }
  } else {
    for (const name of FONT_NAMES) doc.font(name);
    const regular = inner?._fontFamilies[FONT_REGULAR];
    const bold = inner?._fontFamilies[FONT_BOLD];
    // If a pdfkit upgrade changes these internals, every document simply parses its own fonts again.
    if (regular && bold && typeof regular.constructor === 'function' && regular.font && bold.font) {
      memoizeGlyphOutlines(regular.font);
      memoizeGlyphOutlines(bold.font);
      parsed = {
        EmbeddedFont: regular.constructor as EmbeddedFontClass,
        fonts: {
          [FONT_REGULAR]: { font: regular.font, layoutCache: regular.layoutCache },
          [FONT_BOLD]: { font: bold.font, layoutCache: bold.layoutCache },
        },
      };
    }
  }
  doc.font(FONT_REGULAR);
}
