/**
 * Small real-format files made in code (no binaries in the repo): valid magic numbers and
 * structure headers for each type the media check tells apart.
 */
import { deflateRawSync } from 'node:zlib';

const pad = (head: Buffer, size = 2048) => Buffer.concat([head, Buffer.alloc(Math.max(0, size - head.length), 0x20)]);

function zip(entries: Record<string, string>): Buffer {
  const parts: Buffer[] = [];
  for (const [name, content] of Object.entries(entries)) {
    const data = deflateRawSync(Buffer.from(content));
    const header = Buffer.alloc(30);
    header.writeUInt32LE(0x04034b50, 0);
    header.writeUInt16LE(20, 4);
    header.writeUInt16LE(8, 8);
    header.writeUInt32LE(data.length, 18);
    header.writeUInt32LE(content.length, 22);
    header.writeUInt16LE(Buffer.byteLength(name), 26);
    parts.push(header, Buffer.from(name), data);
  }
  return Buffer.concat(parts);
}

const ftyp = (brand: string) => {
  const box = Buffer.alloc(24);
  box.writeUInt32BE(24, 0);
  box.write('ftyp', 4, 'latin1');
  box.write(brand, 8, 'latin1');
  box.write('isom', 16, 'latin1');
  return box;
};

export type SampleKind = 'jpeg' | 'png' | 'webp' | 'heic' | 'mp4' | 'mov' | 'pdf' | 'docx' | 'zip' | 'exe' | 'elf';

export function sampleFile(kind: SampleKind, size = 2048): Buffer {
  switch (kind) {
    case 'jpeg':
      return pad(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, ...Buffer.from('JFIF\0')]), size);
    case 'png':
      return pad(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, ...Buffer.from('IHDR')]), size);
    case 'webp':
      return pad(Buffer.concat([Buffer.from('RIFF'), Buffer.from([0, 8, 0, 0]), Buffer.from('WEBPVP8 ')]), size);
    case 'heic':
      return pad(ftyp('heic'), size);
    case 'mp4':
      return pad(ftyp('isom'), size);
    case 'mov':
      return pad(ftyp('qt  '), size);
    case 'pdf':
      return pad(Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj\n<< /Type /Catalog >>\nendobj\n', 'latin1'), size);
    case 'docx':
      return pad(zip({ '[Content_Types].xml': '<Types/>', 'word/document.xml': '<w:document/>' }), size);
    case 'zip':
      return pad(zip({ 'readme.txt': 'not a document' }), size);
    case 'exe':
      return pad(Buffer.concat([Buffer.from('MZ'), Buffer.alloc(58), Buffer.from('PE\0\0')]), size);
    case 'elf':
      return pad(Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]), size);
  }
}

/** A JPEG whose EXIF block says it was taken at `date` (`YYYY:MM:DD HH:MM:SS`), big- or little-endian. */
export function jpegWithExif(date: string, littleEndian = false, size = 2048): Buffer {
  const tiff = Buffer.alloc(8 + 2 + 12 + 4 + 2 + 12 + 4 + 20);
  const w16 = (v: number, o: number) => (littleEndian ? tiff.writeUInt16LE(v, o) : tiff.writeUInt16BE(v, o));
  const w32 = (v: number, o: number) => (littleEndian ? tiff.writeUInt32LE(v, o) : tiff.writeUInt32BE(v, o));
  tiff.write(littleEndian ? 'II' : 'MM', 0, 'latin1');
  w16(42, 2);
  w32(8, 4); // IFD0 at 8
  w16(1, 8); // one entry: the Exif IFD pointer
  w16(0x8769, 10);
  w16(4, 12);
  w32(1, 14);
  w32(26, 18); // Exif IFD at 26
  w32(0, 22);
  w16(1, 26); // one entry: DateTimeOriginal
  w16(0x9003, 28);
  w16(2, 30);
  w32(20, 32);
  w32(44, 36); // the string at 44
  w32(0, 40);
  tiff.write(`${date}\0`, 44, 'latin1');
  const exif = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff]);
  const app1 = Buffer.alloc(4);
  app1.writeUInt16BE(0xffe1, 0);
  app1.writeUInt16BE(exif.length + 2, 2);
  return pad(Buffer.concat([Buffer.from([0xff, 0xd8]), app1, exif, Buffer.from([0xff, 0xda, 0x00, 0x02])]), size);
}

/**
 * A real baseline JPEG any decoder shows: `size`×`size` pixels of one colour (YCbCr, no
 * subsampling, every block DC-only), with an EXIF capture date when `exifDate` is given.
 * Browsers render it (the web app's thumbnails); the media check sniffs and reads it as a photo.
 */
export function decodableJpeg(options: { size?: number; ycbcr?: readonly [number, number, number]; exifDate?: string } = {}): Buffer {
  const size = options.size ?? 16;
  if (size % 8 !== 0 || size < 8 || size > 256) throw new Error('decodableJpeg: size is a multiple of 8 up to 256');
  const [y, cb, cr] = options.ycbcr ?? [90, 180, 110]; // a clear blue
  const segment = (marker: number, body: Buffer) => {
    const head = Buffer.alloc(4);
    head.writeUInt16BE(marker, 0);
    head.writeUInt16BE(body.length + 2, 2);
    return Buffer.concat([head, body]);
  };
  const jfif = segment(0xffe0, Buffer.from([...Buffer.from('JFIF\0', 'latin1'), 1, 1, 0, 0, 1, 0, 1, 0, 0]));
  const dqt = segment(0xffdb, Buffer.from([0x00, ...new Array<number>(64).fill(1)])); // table 0, every step 1
  const sof0 = segment(0xffc0, Buffer.from([8, size >> 8, size & 0xff, size >> 8, size & 0xff, 3, 1, 0x11, 0, 2, 0x11, 0, 3, 0x11, 0]));
  // Each block's DC coefficient is 8 × (level − 128); its size category is the DC symbol.
  const dcs = [y, cb, cr].map((level) => 8 * (Math.round(level) - 128));
  const category = (v: number) => (v === 0 ? 0 : Math.floor(Math.log2(Math.abs(v))) + 1);
  const symbols = [...new Set([0, ...dcs.map(category)])].sort((a, b) => a - b);
  // DC table: every symbol a 4-bit code (room for 15, never all ones); AC table: EOB only, code `0`.
  const dcCounts = new Array<number>(16).fill(0);
  dcCounts[3] = symbols.length;
  const dht = segment(0xffc4, Buffer.from([0x00, ...dcCounts, ...symbols, 0x10, 1, ...new Array<number>(15).fill(0), 0x00]));
  const sos = segment(0xffda, Buffer.from([3, 1, 0x00, 2, 0x00, 3, 0x00, 0, 63, 0]));
  let bits = '';
  const put = (value: number, length: number) => (bits += length ? value.toString(2).padStart(length, '0') : '');
  const blocks = (size / 8) * (size / 8);
  for (let b = 0; b < blocks; b += 1) {
    dcs.forEach((dc) => {
      const diff = b === 0 ? dc : 0; // same colour everywhere: later blocks differ by 0
      const s = category(diff);
      put(symbols.indexOf(s), 4);
      put(diff >= 0 ? diff : diff + (1 << s) - 1, s);
      put(0, 1); // EOB
    });
  }
  bits = bits.padEnd(Math.ceil(bits.length / 8) * 8, '1');
  const scan: number[] = [];
  for (let i = 0; i < bits.length; i += 8) {
    const byte = parseInt(bits.slice(i, i + 8), 2);
    scan.push(byte);
    if (byte === 0xff) scan.push(0x00); // byte stuffing
  }
  // The APP1 segment of jpegWithExif: its marker, then as many bytes as its length field says.
  const withExif = options.exifDate ? jpegWithExif(options.exifDate) : undefined;
  const exif = withExif ? withExif.subarray(2, 4 + withExif.readUInt16BE(4)) : Buffer.alloc(0);
  return Buffer.concat([Buffer.from([0xff, 0xd8]), jfif, exif, dqt, sof0, dht, sos, Buffer.from(scan), Buffer.from([0xff, 0xd9])]);
}

/** An ISO BMFF box: size, type, payload (a FullBox's version and flags are part of `payload`). */
const isoBox = (type: string, ...payload: Buffer[]): Buffer => {
  const body = Buffer.concat(payload);
  const header = Buffer.alloc(8);
  header.writeUInt32BE(8 + body.length, 0);
  header.write(type, 4, 'latin1');
  return Buffer.concat([header, body]);
};
const u16 = (n: number) => Buffer.from([n >> 8, n & 0xff]);
const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n, 0);
  return b;
};
const fullBox = (version: number) => Buffer.from([version, 0, 0, 0]);

/**
 * A HEIF (HEIC brand) as a phone writes its structure: a primary image item, an `Exif` item (the
 * given TIFF block behind its 4-byte offset and `Exif\0\0`), an XMP item (`mime`,
 * application/rdf+xml) and an `irot` property, the items' bytes in `mdat` located by `iloc` (version 1).
 * The image's bytes are not real HEVC: nothing here decodes pixels.
 */
export function heifWithMetadata(options: { tiff: Buffer; xmp: string; image?: Buffer }): { file: Buffer; items: Record<'image' | 'exif' | 'xmp', [number, number]> } {
  const image = options.image ?? Buffer.alloc(512, 0x5a);
  const exif = Buffer.concat([u32(6), Buffer.from('Exif\0\0', 'latin1'), options.tiff]);
  const xmp = Buffer.from(options.xmp, 'utf8');
  const infe = (id: number, type: string, contentType?: string) =>
    isoBox('infe', fullBox(2), u16(id), u16(0), Buffer.from(type, 'latin1'), Buffer.from('\0'), ...(contentType ? [Buffer.from(`${contentType}\0`, 'latin1')] : []));
  const build = (offsets: [number, number, number]) => {
    const items: Array<[number, number, number]> = [
      [1, offsets[0], image.length],
      [2, offsets[1], exif.length],
      [3, offsets[2], xmp.length],
    ];
    const iloc = isoBox('iloc', fullBox(1), Buffer.from([0x44, 0x00]), u16(items.length), ...items.map(([id, offset, length]) => Buffer.concat([u16(id), u16(0), u16(0), u16(1), u32(offset), u32(length)])));
    const meta = isoBox(
      'meta',
      fullBox(0),
      isoBox('hdlr', fullBox(0), u32(0), Buffer.from('pict', 'latin1'), Buffer.alloc(12), Buffer.from('\0')),
      isoBox('pitm', fullBox(0), u16(1)),
      isoBox('iinf', fullBox(0), u16(3), infe(1, 'hvc1'), infe(2, 'Exif'), infe(3, 'mime', 'application/rdf+xml')),
      iloc,
      isoBox('iprp', isoBox('ipco', isoBox('irot', Buffer.from([1]))), isoBox('ipma', fullBox(0), u32(1), u16(1), Buffer.from([1, 0x81]))),
    );
    const ftypBox = isoBox('ftyp', Buffer.from('heic', 'latin1'), u32(0), Buffer.from('mif1heic', 'latin1'));
    return { head: Buffer.concat([ftypBox, meta]), mdat: isoBox('mdat', image, exif, xmp) };
  };
  // Lay out once to learn where mdat's payload starts, then again with the real offsets (same sizes).
  const { head } = build([0, 0, 0]);
  const at = head.length + 8;
  const offsets: [number, number, number] = [at, at + image.length, at + image.length + exif.length];
  const { head: realHead, mdat } = build(offsets);
  return {
    file: Buffer.concat([realHead, mdat]),
    items: { image: [offsets[0], offsets[0] + image.length], exif: [offsets[1], offsets[1] + exif.length], xmp: [offsets[2], offsets[2] + xmp.length] },
  };
}

/** The TIFF block of a JPEG's Exif (its APP1 after `Exif\0\0`): a real phone's tags, to put in another container. */
export function exifTiffOf(jpeg: Buffer): Buffer {
  const at = jpeg.indexOf(Buffer.from('Exif\0\0', 'latin1'));
  if (at < 4) throw new Error('no Exif block');
  return jpeg.subarray(at + 6, at - 2 + jpeg.readUInt16BE(at - 2));
}

/** An XMP packet with a GPS position, as phone and editing apps write one. */
export const XMP_WITH_GPS =
  '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="37,46.56N" exif:GPSLongitude="122,25.02W"/></rdf:RDF></x:xmpmeta>';
