import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { deflateSync } from 'node:zlib';
import {
  decodePdfString,
  type PdfDict,
  type PdfFile,
  PdfUpdate,
  parsePdf,
  pdfDate,
  pdfString,
  readObjectDict,
  refNumber,
  resolve,
} from './pdf-update';

// Factur-X 1.0 (ZUGFeRD 2): a PDF/A-3b invoice with its CII XML attached as factur-x.xml. The visible PDF
// comes from the document renderer; this adds, as an incremental update, what PDF/A-3 and Factur-X need:
// the embedded file with its /AF relationship, the XMP metadata (PDF/A identification, Factur-X
// extension schema) matching the document information, and an sRGB output intent.

export const FACTURX_FILENAME = 'factur-x.xml';
const FX_NAMESPACE = 'urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#';
const PRODUCER = 'Arbor';

export interface FacturXOptions {
  /** Factur-X profile of the XML (BT-24 urn:cen.eu:en16931:2017 is "EN 16931"). */
  conformanceLevel: 'MINIMUM' | 'BASIC WL' | 'BASIC' | 'EN 16931' | 'EXTENDED';
  /** How the XML relates to the visible invoice; Germany (ZUGFeRD) asks for Alternative. */
  relationship?: 'Alternative' | 'Data' | 'Source';
}

interface DocumentInfo {
  title: string | null;
  author: string | null;
  subject: string | null;
  creator: string;
  created: Date;
}

let iccProfile: Buffer | null = null;

/** pdfkit ships the sRGB IEC61966-2.1 profile it uses for its own PDF/A output intent. */
function srgbProfile(): Buffer {
  if (!iccProfile) {
    const pdfkit = createRequire(import.meta.url).resolve('pdfkit');
    iccProfile = readFileSync(path.join(path.dirname(pdfkit), 'data', 'sRGB_IEC61966_2_1.icc'));
  }
  return iccProfile;
}

function xmlEscape(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] ?? c,
  );
}

function xmpDate(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

/** D:YYYYMMDDHHmmss with an optional zone, read as UTC when it has none. */
function parsePdfDate(text: string | null): Date | null {
  const m = text ? /^D:(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?/.exec(text) : null;
  if (!m) return null;
  const [, y, mo = '01', d = '01', h = '00', mi = '00', s = '00'] = m;
  return new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)));
}

function documentInfo(pdf: PdfFile): DocumentInfo {
  const infoRef = refNumber(pdf.trailer.get('Info'));
  const info: PdfDict = infoRef === null ? new Map() : readObjectDict(pdf, infoRef);
  const text = (key: string) => {
    const raw = resolve(pdf, info.get(key));
    return raw && (raw.startsWith('(') || raw.startsWith('<')) ? decodePdfString(raw) : null;
  };
  return {
    title: text('Title'),
    author: text('Author'),
    subject: text('Subject'),
    creator: text('Creator') ?? PRODUCER,
    created: parsePdfDate(text('CreationDate')) ?? new Date(0),
  };
}

/** The XMP packet: PDF/A-3b identification, the document information, and the Factur-X properties. */
export function facturXXmp(info: DocumentInfo, options: FacturXOptions): string {
  const e = xmlEscape;
  const property = (name: string, description: string) => `
            <rdf:li rdf:parseType="Resource">
              <pdfaProperty:name>${name}</pdfaProperty:name>
              <pdfaProperty:valueType>Text</pdfaProperty:valueType>
              <pdfaProperty:category>external</pdfaProperty:category>
              <pdfaProperty:description>${description}</pdfaProperty:description>
            </rdf:li>`;
  const dc = [
    '<dc:format>application/pdf</dc:format>',
    info.title && `<dc:title><rdf:Alt><rdf:li xml:lang="x-default">${e(info.title)}</rdf:li></rdf:Alt></dc:title>`,
    info.author && `<dc:creator><rdf:Seq><rdf:li>${e(info.author)}</rdf:li></rdf:Seq></dc:creator>`,
    info.subject &&
      `<dc:description><rdf:Alt><rdf:li xml:lang="x-default">${e(info.subject)}</rdf:li></rdf:Alt></dc:description>`,
  ].filter(Boolean);
  return `<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
  <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
    <rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">
      <pdfaid:part>3</pdfaid:part>
      <pdfaid:conformance>B</pdfaid:conformance>
    </rdf:Description>
    <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">
      ${dc.join('\n      ')}
    </rdf:Description>
    <rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/">
      <xmp:CreatorTool>${e(info.creator)}</xmp:CreatorTool>
      <xmp:CreateDate>${xmpDate(info.created)}</xmp:CreateDate>
      <xmp:ModifyDate>${xmpDate(info.created)}</xmp:ModifyDate>
    </rdf:Description>
    <rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">
      <pdf:Producer>${PRODUCER}</pdf:Producer>
    </rdf:Description>
    <rdf:Description rdf:about="" xmlns:fx="${FX_NAMESPACE}">
      <fx:DocumentType>INVOICE</fx:DocumentType>
      <fx:DocumentFileName>${FACTURX_FILENAME}</fx:DocumentFileName>
      <fx:Version>1.0</fx:Version>
      <fx:ConformanceLevel>${options.conformanceLevel}</fx:ConformanceLevel>
    </rdf:Description>
    <rdf:Description rdf:about=""
        xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/"
        xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#"
        xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
      <pdfaExtension:schemas>
        <rdf:Bag>
          <rdf:li rdf:parseType="Resource">
            <pdfaSchema:schema>Factur-X PDFA Extension Schema</pdfaSchema:schema>
            <pdfaSchema:namespaceURI>${FX_NAMESPACE}</pdfaSchema:namespaceURI>
            <pdfaSchema:prefix>fx</pdfaSchema:prefix>
            <pdfaSchema:property>
              <rdf:Seq>${property('DocumentFileName', 'name of the embedded XML invoice file')}${property(
                'DocumentType',
                'INVOICE',
              )}${property('Version', 'The actual version of the Factur-X XML schema')}${property(
                'ConformanceLevel',
                'The conformance level of the embedded Factur-X data',
              )}
              </rdf:Seq>
            </pdfaSchema:property>
          </rdf:li>
        </rdf:Bag>
      </pdfaExtension:schemas>
    </rdf:Description>
  </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>`;
}

/**
 * The PDF with `xml` embedded as factur-x.xml, made PDF/A-3b: the catalog gains /AF, /Names
 * /EmbeddedFiles, /Metadata and /OutputIntents; the document information is rewritten to match the XMP.
 */
export function attachFacturX(pdfBytes: Buffer, xml: string, options: FacturXOptions): Buffer {
  const pdf = parsePdf(pdfBytes);
  const rootNumber = refNumber(pdf.trailer.get('Root'));
  if (rootNumber === null) throw new Error('The PDF trailer has no Root reference.');
  const catalog = readObjectDict(pdf, rootNumber);
  const info = documentInfo(pdf);
  const update = new PdfUpdate(pdf);
  const modified = pdfDate(info.created);

  const data = Buffer.from(xml, 'utf8');
  const embedded = update.add({
    dict: new Map([
      ['Type', '/EmbeddedFile'],
      ['Subtype', '/text#2Fxml'],
      [
        'Params',
        `<< /ModDate ${modified} /Size ${data.length} /CheckSum <${createHash('md5').update(data).digest('hex')}> >>`,
      ],
      ['Filter', '/FlateDecode'],
    ]),
    stream: deflateSync(data),
  });
  const filespec = update.add({
    dict: new Map([
      ['Type', '/Filespec'],
      ['F', pdfString(FACTURX_FILENAME)],
      ['UF', pdfString(FACTURX_FILENAME)],
      ['Desc', pdfString('Factur-X invoice')],
      ['AFRelationship', `/${options.relationship ?? 'Alternative'}`],
      ['EF', `<< /F ${embedded} /UF ${embedded} >>`],
    ]),
  });

  const namesNumber = refNumber(catalog.get('Names'));
  const names: PdfDict = namesNumber === null ? new Map() : readObjectDict(pdf, namesNumber);
  names.set('EmbeddedFiles', `<< /Names [${pdfString(FACTURX_FILENAME)} ${filespec}] >>`);
  const namesRef = update.add({ dict: names });

  const metadata = update.add({
    dict: new Map([
      ['Type', '/Metadata'],
      ['Subtype', '/XML'],
    ]),
    stream: Buffer.from(facturXXmp(info, options), 'utf8'),
  });
  const profile = update.add({
    dict: new Map([
      ['N', '3'],
      ['Filter', '/FlateDecode'],
    ]),
    stream: deflateSync(srgbProfile()),
  });
  const intent = update.add({
    dict: new Map([
      ['Type', '/OutputIntent'],
      ['S', '/GTS_PDFA1'],
      ['OutputConditionIdentifier', pdfString('sRGB IEC61966-2.1')],
      ['Info', pdfString('sRGB IEC61966-2.1')],
      ['DestOutputProfile', profile],
    ]),
  });

  // The document information must say what the XMP says (PDF/A-3 6.7.3).
  const infoDict: PdfDict = new Map();
  if (info.title) infoDict.set('Title', pdfString(info.title));
  if (info.author) infoDict.set('Author', pdfString(info.author));
  if (info.subject) infoDict.set('Subject', pdfString(info.subject));
  infoDict.set('Creator', pdfString(info.creator));
  infoDict.set('Producer', pdfString(PRODUCER));
  infoDict.set('CreationDate', modified);
  infoDict.set('ModDate', modified);
  const infoRef = update.add({ dict: infoDict });

  catalog.set('Version', '/1.7');
  catalog.set('Names', namesRef);
  catalog.set('Metadata', metadata);
  catalog.set('OutputIntents', `[${intent}]`);
  catalog.set('AF', `[${filespec}]`);
  update.replace(rootNumber, { dict: catalog });
  return update.write(new Map([['Info', infoRef]]));
}
