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
