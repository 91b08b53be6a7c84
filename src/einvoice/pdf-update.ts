// Just enough PDF to append an incremental update (ISO 32000-1 §7.5.6) to a file with a classic
// cross-reference table, as pdfkit writes it: read the trailer and a few dictionaries, add objects,
// replace the catalog, write a new xref section and trailer. The original bytes stay untouched.

/** A top-level dictionary: each key (without the slash) with its value as raw PDF text. */
export type PdfDict = Map<string, string>;

export interface PdfFile {
  bytes: Buffer;
  /** Offset of the last cross-reference section. */
  startXref: number;
  trailer: PdfDict;
  /** Object number → byte offset, over every xref section (newest wins). */
  offsets: Map<number, number>;
}

const WHITESPACE = /[\0\t\n\f\r ]/;
const DELIMITER = /[()<>[\]{}/%]/;

export function parsePdf(bytes: Buffer): PdfFile {
  const tail = bytes.toString('latin1', Math.max(0, bytes.length - 1024));
  const match = /startxref\s+(\d+)\s+%%EOF\s*$/.exec(tail);
  if (!match) throw new Error('Not a PDF: no startxref at the end.');
  const startXref = Number(match[1]);
  const offsets = new Map<number, number>();
  let trailer: PdfDict | null = null;
  const seen = new Set<number>();
  for (let at: number | null = startXref; at !== null && !seen.has(at); ) {
    seen.add(at);
    const section = readXrefSection(bytes, at);
    for (const [n, offset] of section.offsets) if (!offsets.has(n)) offsets.set(n, offset);
    trailer ??= section.trailer;
    const prev = section.trailer.get('Prev');
    at = prev ? Number(prev) : null;
  }
  if (!trailer?.get('Root')) throw new Error('The PDF trailer has no Root.');
  return { bytes, startXref, trailer, offsets };
}

function readXrefSection(bytes: Buffer, at: number): { offsets: Map<number, number>; trailer: PdfDict } {
  const text = bytes.toString('latin1', at);
  if (!text.startsWith('xref')) throw new Error('Only PDFs with a cross-reference table are supported.');
  const offsets = new Map<number, number>();
  const lines = text.split(/\r\n|\r|\n/);
  let i = 1;
  for (let header = lines[i]; header && /^\d+ \d+\s*$/.test(header); header = lines[i]) {
    const [first, count] = header.trim().split(' ').map(Number) as [number, number];
    for (let k = 0; k < count; k++) {
      const entry = /^(\d{10}) (\d{5}) ([nf])/.exec(lines[i + 1 + k] ?? '');
      if (entry?.[3] === 'n') offsets.set(first + k, Number(entry[1]));
    }
    i += 1 + count;
  }
  const trailerAt = text.indexOf('trailer');
  if (trailerAt < 0) throw new Error('The PDF has no trailer.');
  return { offsets, trailer: parseDict(text, text.indexOf('<<', trailerAt)).dict };
}

/** The value of object `n` as raw PDF text (a stream's dictionary only). */
export function readObject(pdf: PdfFile, n: number): string {
  const offset = pdf.offsets.get(n);
  if (offset === undefined) throw new Error(`The PDF has no object ${n}.`);
  const text = pdf.bytes.toString('latin1', offset, Math.min(pdf.bytes.length, offset + 65536));
  const header = /^\s*(\d+)\s+(\d+)\s+obj\s*/.exec(text);
  if (!header || Number(header[1]) !== n) throw new Error(`Object ${n} is not at its xref offset.`);
  return text.slice(header[0].length, valueEndAt(text, header[0].length));
}

/** The dictionary of object `n`. */
export function readObjectDict(pdf: PdfFile, n: number): PdfDict {
  return parseDict(readObject(pdf, n), 0).dict;
}

/** A value, following an indirect reference. */
export function resolve(pdf: PdfFile, value: string | undefined): string | undefined {
  const n = refNumber(value);
  return n === null ? value : readObject(pdf, n);
}

/** The text of a PDF string (literal or hex; UTF-16BE with a byte order mark, else PDFDocEncoding as Latin-1). */
export function decodePdfString(raw: string): string {
  const value = raw.trim();
  let bytes: Buffer;
  if (value.startsWith('<')) bytes = Buffer.from(value.slice(1, -1).replace(/\s+/g, ''), 'hex');
  else {
    const out: number[] = [];
    const body = value.slice(1, -1);
    const escapes: Record<string, number> = { n: 10, r: 13, t: 9, b: 8, f: 12, '(': 40, ')': 41, '\\': 92 };
    for (let i = 0; i < body.length; i++) {
      const c = body[i]!;
      if (c !== '\\') {
        out.push(c.charCodeAt(0) & 0xff);
        continue;
      }
      const next = body[++i] ?? '';
      const octal = /^[0-7]{1,3}/.exec(body.slice(i, i + 3));
      if (octal) {
        out.push(Number.parseInt(octal[0], 8) & 0xff);
        i += octal[0].length - 1;
      } else if (next === '\r' || next === '\n') {
        if (next === '\r' && body[i + 1] === '\n') i++;
      } else out.push(escapes[next] ?? next.charCodeAt(0));
    }
    bytes = Buffer.from(out);
  }
  if (bytes[0] === 0xfe && bytes[1] === 0xff)
    return Buffer.from(bytes.subarray(2, 2 + ((bytes.length - 2) & ~1)))
      .swap16()
      .toString('utf16le');
  return bytes.toString('latin1');
}

/** The object number of an indirect reference "n g R". */
export function refNumber(value: string | undefined): number | null {
  const match = value ? /^(\d+)\s+\d+\s+R$/.exec(value.trim()) : null;
  return match ? Number(match[1]) : null;
}

function skipSpace(text: string, i: number): number {
  while (i < text.length) {
    const c = text[i]!;
    if (WHITESPACE.test(c)) i++;
    else if (c === '%') while (i < text.length && text[i] !== '\n' && text[i] !== '\r') i++;
    else break;
  }
  return i;
}

function parseDict(text: string, start: number): { dict: PdfDict; end: number } {
  let i = skipSpace(text, start);
  if (!text.startsWith('<<', i)) throw new Error('Expected a PDF dictionary.');
  i += 2;
  const dict: PdfDict = new Map();
  for (;;) {
    i = skipSpace(text, i);
    if (text.startsWith('>>', i)) return { dict, end: i + 2 };
    if (text[i] !== '/') throw new Error(`Expected a name at ${i}.`);
    const keyEnd = tokenEnd(text, i + 1);
    const key = text.slice(i + 1, keyEnd);
    const valueStart = skipSpace(text, keyEnd);
    const valueEnd = valueEndAt(text, valueStart);
    dict.set(key, text.slice(valueStart, valueEnd));
    i = valueEnd;
  }
}

function tokenEnd(text: string, i: number): number {
  while (i < text.length && !WHITESPACE.test(text[i]!) && !DELIMITER.test(text[i]!)) i++;
  return i;
}

/** The end of one value: a dictionary, array, string, name, or a number with an optional "g R". */
function valueEndAt(text: string, i: number): number {
  if (text.startsWith('<<', i)) return parseDict(text, i).end;
  const c = text[i];
  if (c === '[') {
    let j = skipSpace(text, i + 1);
    while (text[j] !== ']') {
      if (j >= text.length) throw new Error('Unterminated PDF array.');
      j = skipSpace(text, valueEndAt(text, j));
    }
    return j + 1;
  }
  if (c === '(') {
    let depth = 0;
    for (let j = i; j < text.length; j++) {
      const ch = text[j];
      if (ch === '\\') j++;
      else if (ch === '(') depth++;
      else if (ch === ')' && --depth === 0) return j + 1;
    }
    throw new Error('Unterminated PDF string.');
  }
  if (c === '<') return text.indexOf('>', i) + 1;
  if (c === '/') return tokenEnd(text, i + 1);
  const end = tokenEnd(text, i);
  if (end === i) throw new Error(`Unexpected ${c} in a PDF value.`);
  const reference = /^\s+\d+\s+R(?![^\0\t\n\f\r ()<>[\]{}/%])/.exec(text.slice(end, end + 24));
  return reference && /^\d+$/.test(text.slice(i, end)) ? end + reference[0].length : end;
}

/** A text string: ASCII as a literal, anything else as UTF-16BE with a byte order mark. */
export function pdfString(value: string): string {
  if (/^[\x20-\x7e]*$/.test(value)) return `(${value.replace(/[\\()]/g, (c) => `\\${c}`)})`;
  const utf16 = Buffer.from(`\ufeff${value}`, 'utf16le').swap16();
  return `<${utf16.toString('hex').toUpperCase()}>`;
}

/** A PDF date, D:YYYYMMDDHHmmss+00'00', in UTC. */
export function pdfDate(date: Date): string {
  const iso = date.toISOString();
  return `(D:${iso.slice(0, 19).replace(/[-T:]/g, '')}+00'00')`;
}

export function dictText(dict: PdfDict): string {
  return `<<\n${[...dict].map(([key, value]) => `/${key} ${value}`).join('\n')}\n>>`;
}

export interface NewObject {
  dict: PdfDict;
  stream?: Buffer;
}

/** Appends objects to a PDF as an incremental update. */
export class PdfUpdate {
  private nextNumber: number;
  private readonly objects = new Map<number, NewObject>();

  constructor(readonly pdf: PdfFile) {
    this.nextNumber = Number(pdf.trailer.get('Size'));
    if (!Number.isInteger(this.nextNumber)) throw new Error('The PDF trailer has no Size.');
  }

  /** A new object; returns its reference. */
  add(object: NewObject): string {
    const n = this.nextNumber++;
    this.objects.set(n, object);
    return `${n} 0 R`;
  }

  /** Replaces an existing object (generation 0). */
  replace(n: number, object: NewObject): void {
    this.objects.set(n, object);
  }

  /** The original bytes followed by the update, with `trailer` entries merged over the old trailer. */
  write(trailer: PdfDict): Buffer {
    const original = this.pdf.bytes;
    const parts: Buffer[] = [original];
    let offset = original.length;
    const push = (chunk: Buffer | string) => {
      const buffer = typeof chunk === 'string' ? Buffer.from(chunk, 'latin1') : chunk;
      parts.push(buffer);
      offset += buffer.length;
    };
    if (original[original.length - 1] !== 0x0a) push('\n');
    const offsets = new Map<number, number>();
    for (const [n, object] of [...this.objects].sort(([a], [b]) => a - b)) {
      offsets.set(n, offset);
      const dict = new Map(object.dict);
      if (object.stream) dict.set('Length', String(object.stream.length));
      push(`${n} 0 obj\n${dictText(dict)}\n`);
      if (object.stream) {
        push('stream\n');
        push(object.stream);
        push('\nendstream\n');
      }
      push('endobj\n');
    }
    const xrefAt = offset;
    push('xref\n');
    for (const run of runs([...offsets.keys()].sort((a, b) => a - b))) {
      push(`${run[0]} ${run.length}\n`);
      for (const n of run) push(`${String(offsets.get(n)).padStart(10, '0')} 00000 n \n`);
    }
    const merged: PdfDict = new Map([...this.pdf.trailer].filter(([key]) => key !== 'Prev' && key !== 'XRefStm'));
    for (const [key, value] of trailer) merged.set(key, value);
    merged.set('Size', String(this.nextNumber));
    merged.set('Prev', String(this.pdf.startXref));
    push(`trailer\n${dictText(merged)}\nstartxref\n${xrefAt}\n%%EOF\n`);
    return Buffer.concat(parts);
  }
}

/** Consecutive object numbers, for xref subsections. */
function runs(numbers: number[]): number[][] {
  const out: number[][] = [];
  for (const n of numbers) {
    const last = out[out.length - 1];
    if (last && last[last.length - 1] === n - 1) last.push(n);
    else out.push([n]);
  }
  return out;
}
