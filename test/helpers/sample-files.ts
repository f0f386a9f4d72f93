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
