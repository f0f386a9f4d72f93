/**
 * What a file really is, from its first bytes (magic numbers), for the types the campaign
 * accepts and the ones worth naming when refused. Pure: the media check passes the first
 * 64 KiB of the object.
 */

const startsWith = (b: Uint8Array, sig: readonly number[], at = 0) => sig.every((v, i) => b[at + i] === v);
const ascii = (b: Uint8Array, from: number, to: number) => String.fromCharCode(...b.subarray(from, to));

/** ISO base media brands (the `ftyp` box) by family. */
const HEIC_BRANDS = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'mif1', 'msf1']);
const QUICKTIME_BRANDS = new Set(['qt  ']);

/**
 * The MIME type the bytes show, `application/zip` for a ZIP that is not a Word document,
 * `application/x-msdownload` / `application/x-elf` for executables, or `undefined`.
 */
export function sniffContentType(bytes: Uint8Array): string | undefined {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 12) === 'WEBP') return 'image/webp';
  if (ascii(bytes, 4, 8) === 'ftyp') {
    const brand = ascii(bytes, 8, 12);
    if (HEIC_BRANDS.has(brand)) return 'image/heic';
    if (QUICKTIME_BRANDS.has(brand)) return 'video/quicktime';
    return 'video/mp4';
  }
  if (ascii(bytes, 4, 8) === 'moov' || ascii(bytes, 4, 8) === 'mdat' || ascii(bytes, 4, 8) === 'wide') return 'video/quicktime';
  if (ascii(bytes, 0, 5) === '%PDF-') return 'application/pdf';
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) {
    // A Word document is a ZIP whose entries live under word/ (file names are stored in clear).
    return ascii(bytes, 0, bytes.length).includes('word/') ? 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' : 'application/zip';
  }
  if (ascii(bytes, 0, 2) === 'MZ') return 'application/x-msdownload';
  if (startsWith(bytes, [0x7f, 0x45, 0x4c, 0x46])) return 'application/x-elf';
  return undefined;
}

/** How many leading bytes {@link sniffContentType} wants. */
export const SNIFF_BYTES = 64 * 1024;
