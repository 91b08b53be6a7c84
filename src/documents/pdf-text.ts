import { extractText, getDocumentProxy } from 'unpdf';

// Reads a rendered PDF back (for tests): its text per page, page sizes, text positions and links.

export interface PdfTextBox {
  text: string;
  x: number;
  y: number;
  width: number;
  height: number;
  rotated: boolean;
}

export interface PdfContents {
  pages: string[];
  /** All pages' text, spaces normalized (Intl's no-break spaces become plain spaces). */
  text: string;
  sizes: { width: number; height: number }[];
  boxes: PdfTextBox[][];
  links: string[];
}

const SPACES = /[\u00a0\u202f\u2009]/g;

export async function readPdf(pdf: Buffer): Promise<PdfContents> {
  const document = await getDocumentProxy(new Uint8Array(pdf));
  const { text } = await extractText(document, { mergePages: false });
  const pages = text.map((page) => page.replace(SPACES, ' '));
  const sizes: PdfContents['sizes'] = [];
  const boxes: PdfTextBox[][] = [];
  const links: string[] = [];
  for (let n = 1; n <= document.numPages; n++) {
    const page = await document.getPage(n);
    const [x0 = 0, y0 = 0, x1 = 0, y1 = 0] = page.view;
    sizes.push({ width: x1 - x0, height: y1 - y0 });
    const content = await page.getTextContent();
    const pageBoxes: PdfTextBox[] = [];
    for (const item of content.items) {
      if (!('str' in item) || !item.str.trim()) continue;
      const [, b = 0, , , x = 0, y = 0] = item.transform as number[];
      pageBoxes.push({ text: item.str, x, y, width: item.width, height: item.height, rotated: b !== 0 });
    }
    boxes.push(pageBoxes);
    for (const annotation of await page.getAnnotations()) {
      if (typeof annotation.url === 'string') links.push(annotation.url);
    }
  }
  await document.destroy();
  return { pages, text: pages.join('\n'), sizes, boxes, links };
}

/** Pairs of upright text items on a page whose boxes overlap (there should be none). */
export function overlappingText(boxes: PdfTextBox[]): [string, string][] {
  const upright = boxes.filter((box) => !box.rotated);
  const overlaps: [string, string][] = [];
  const tolerance = 0.5;
  for (let i = 0; i < upright.length; i++) {
    for (let j = i + 1; j < upright.length; j++) {
      const a = upright[i];
      const b = upright[j];
      if (!a || !b) continue;
      const apart =
        a.x + a.width - tolerance <= b.x ||
        b.x + b.width - tolerance <= a.x ||
        a.y + a.height - tolerance <= b.y ||
        b.y + b.height - tolerance <= a.y;
      if (!apart) overlaps.push([a.text, b.text]);
    }
  }
  return overlaps;
}

/**
 * The image XObjects a PDF carries (pdfkit writes object dictionaries uncompressed), e.g. the logo.
 * The EPC QR code is drawn as vector squares, so it does not count.
 */
export function imageXObjectCount(pdf: Buffer | Uint8Array): number {
  const raw = Buffer.from(pdf).toString('latin1');
  return (raw.match(/\/Subtype\s*\/Image\b/g) ?? []).length;
}
