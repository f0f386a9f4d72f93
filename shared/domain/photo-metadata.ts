/**
 * Strips what identifies a person or a device from a photo before it is stored to be served
 * (PIPL, issue 21; ADR 0048): GPS, serial numbers, maker notes, owner and comment fields, XMP,
 * IPTC, embedded thumbnails and previews. Only the orientation survives, so the photo still
 * shows upright. Pure and tolerant: it walks the file's structure and never decodes pixels;
 * whatever it cannot parse it passes through as a decoder would meet it (see each format).
 */

/** The image types {@link stripPhotoMetadata} rewrites; any other type is returned unchanged. */
export const STRIPPED_PHOTO_TYPES: ReadonlySet<string> = new Set(['image/jpeg', 'image/png', 'image/webp', 'image/heic']);

/**
 * `bytes` without identifying metadata, for a photo of `contentType` (the sniffed type). The
 * input itself when there was nothing to remove (or the type is not in {@link STRIPPED_PHOTO_TYPES}).
 */
export function stripPhotoMetadata(bytes: Uint8Array, contentType: string): Uint8Array {
  if (contentType === 'image/jpeg') return stripJpegMetadata(bytes);
  if (contentType === 'image/png') return stripPngMetadata(bytes);
  if (contentType === 'image/webp') return stripWebpMetadata(bytes);
  if (contentType === 'image/heic') return stripHeifMetadata(bytes);
  return bytes;
}

/** Copies ranges of the input, leaving out (or replacing) parts of it. */
class Rewrite {
  private readonly parts: Uint8Array[] = [];
  private from = 0;
  private changed = false;
  public constructor(private readonly bytes: Uint8Array) {}
  /** Leaves out `[start, end)`, putting `instead` in its place. */
  public replace(start: number, end: number, instead?: Uint8Array): void {
    this.parts.push(this.bytes.subarray(this.from, start));
    if (instead) this.parts.push(instead);
    this.from = end;
    this.changed = true;
  }
  /** The result, ending at `end` (what follows is left out). */
  public finish(end = this.bytes.length): Uint8Array {
    if (!this.changed && end === this.bytes.length) return this.bytes;
    this.parts.push(this.bytes.subarray(this.from, end));
    const out = new Uint8Array(this.parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const part of this.parts) {
      out.set(part, at);
      at += part.length;
    }
    return out;
  }
}

const ascii = (b: Uint8Array, from: number, length: number) => String.fromCharCode(...b.subarray(from, from + length));

const EOI = 0xd9;
const APP0 = 0xe0;
const APP1 = 0xe1;
const APP2 = 0xe2;
const APP14 = 0xee;
const COM = 0xfe;
/** Markers without a length: stuffing (`FF 00`), TEM, SOI and the restart markers. */
const standalone = (marker: number) => marker === 0x00 || marker === 0x01 || marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7);
const isMetadata = (marker: number) => (marker >= APP0 && marker <= 0xef) || marker === COM;

/**
 * JPEG: walks every marker, before and between the scans, and keeps what decoding needs.
 * - APP1 Exif becomes a minimal Exif block with the Orientation alone (none when it had none):
 *   GPS, serials, maker notes, owner, comments and the IFD1 thumbnail all go with it. The capture
 *   date is read from the original before (`exifCaptureDate`) and kept as the item's `capturedAt`.
 * - APP0 JFIF stays without its thumbnail; APP2 ICC_PROFILE (colours) and APP14 Adobe (colour
 *   transform) stay. Every other APPn (XMP, extended XMP, APP13 Photoshop/IPTC, APP2 MPF, FlashPix,
 *   JFXX thumbnails, vendor blocks) and COM go.
 * - Bytes after the end of the image (MPF previews and depth maps, vendor trailers) go.
 * - Bytes where a marker should be are kept and the walk resyncs at the next `FF`, as libjpeg
 *   does; a segment running past the end of the file is cut off when it is metadata and kept as
 *   it is otherwise.
 */
export function stripJpegMetadata(bytes: Uint8Array): Uint8Array {
  if (bytes[0] !== 0xff || bytes[1] !== 0xd8) return bytes;
  const out = new Rewrite(bytes);
  let at = 2;
  for (;;) {
    const ff = bytes.indexOf(0xff, at);
    if (ff < 0) return out.finish();
    let m = ff + 1;
    while (bytes[m] === 0xff) m += 1; // fill bytes
    if (m >= bytes.length) return out.finish();
    const marker = bytes[m] as number;
    if (marker === EOI) return out.finish(m + 1);
    if (standalone(marker)) {
      at = m + 1;
      continue;
    }
    const start = m - 1;
    const end = m + 1 + ((bytes[m + 1] ?? 0) << 8 | (bytes[m + 2] ?? 0));
    if (end > bytes.length || m + 3 > bytes.length) return isMetadata(marker) ? out.finish(start) : out.finish();
    if (isMetadata(marker)) {
      const kept = keptSegment(bytes.subarray(start, end));
      if (kept !== 'as-is') out.replace(start, end, kept);
    }
    at = Math.max(end, m + 1);
  }
}

/** What stays of one metadata segment (`FF En …`): `as-is`, a replacement, or `undefined` (nothing). */
function keptSegment(segment: Uint8Array): Uint8Array | 'as-is' | undefined {
  const marker = segment[1];
  if (marker === APP0 && ascii(segment, 4, 5) === 'JFIF\0') {
    // Header 14 bytes (identifier, version, units, densities, thumbnail size); the rest is a thumbnail.
    if (segment.length <= 18) return 'as-is';
    const jfif = segment.slice(0, 18);
    jfif[3] = 16;
    jfif[2] = 0;
    jfif[16] = 0;
    jfif[17] = 0;
    return jfif;
  }
  if (marker === APP1 && ascii(segment, 4, 6) === 'Exif\0\0') {
    const orientation = exifOrientation(segment.subarray(10));
    if (orientation === undefined) return undefined;
    const minimal = minimalExif(orientation);
    // A block stripped before is kept as it is: stripping twice answers the same bytes.
    return minimal.length === segment.length && minimal.every((b, i) => b === segment[i]) ? 'as-is' : minimal;
  }
  if (marker === APP2 && ascii(segment, 4, 12) === 'ICC_PROFILE\0') return 'as-is';
  if (marker === APP14 && ascii(segment, 4, 5) === 'Adobe') return 'as-is';
  return undefined;
}

const ORIENTATION = 0x0112;

/** The Orientation (1–8) in IFD0 of a TIFF block, either byte order; `undefined` when absent or unreadable. */
function exifOrientation(tiff: Uint8Array): number | undefined {
  try {
    const view = new DataView(tiff.buffer, tiff.byteOffset, tiff.byteLength);
    const order = view.getUint16(0);
    if (order !== 0x4949 && order !== 0x4d4d) return undefined;
    const little = order === 0x4949;
    if (view.getUint16(2, little) !== 42) return undefined;
    const ifd = view.getUint32(4, little);
    const count = view.getUint16(ifd, little);
    for (let i = 0; i < count; i += 1) {
      const entry = ifd + 2 + i * 12;
      if (view.getUint16(entry, little) !== ORIENTATION) continue;
      // SHORT, one value: stored in the first two bytes of the value field.
      if (view.getUint16(entry + 2, little) !== 3 || view.getUint32(entry + 4, little) !== 1) return undefined;
      const value = view.getUint16(entry + 8, little);
      return value >= 1 && value <= 8 ? value : undefined;
    }
    return undefined;
  } catch {
    return undefined; // a pointer past the block: no orientation to keep
  }
}

/** An APP1 segment whose Exif holds one tag, the Orientation (big-endian TIFF, IFD0 only). */
function minimalExif(orientation: number): Uint8Array {
  const segment = new Uint8Array(36);
  const view = new DataView(segment.buffer);
  view.setUint16(0, 0xffe1);
  view.setUint16(2, 34);
  segment.set([0x45, 0x78, 0x69, 0x66, 0, 0], 4); // Exif\0\0
  view.setUint16(10, 0x4d4d); // MM
  view.setUint16(12, 42);
  view.setUint32(14, 8); // IFD0 right after the header
  view.setUint16(18, 1);
  view.setUint16(20, ORIENTATION);
  view.setUint16(22, 3); // SHORT
  view.setUint32(24, 1);
  view.setUint16(28, orientation);
  view.setUint32(32, 0); // no next IFD (no thumbnail)
  return segment;
}

/** PNG chunks that carry metadata: Exif, text (XMP lives in iTXt), modification time. */
const PNG_METADATA = new Set(['eXIf', 'tEXt', 'zTXt', 'iTXt', 'tIME']);

/**
 * PNG: drops the metadata chunks ({@link PNG_METADATA}) and anything after IEND. A chunk whose
 * length runs past the end stops the walk with the rest kept as it is (a decoder stops there too).
 */
export function stripPngMetadata(bytes: Uint8Array): Uint8Array {
  const out = new Rewrite(bytes);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 8;
  while (at + 12 <= bytes.length) {
    const end = at + 12 + view.getUint32(at);
    if (end > bytes.length) break;
    const type = ascii(bytes, at + 4, 4);
    if (type === 'IEND') return out.finish(end);
    if (PNG_METADATA.has(type)) out.replace(at, end);
    at = end;
  }
  return out.finish();
}

/** WebP chunks that carry metadata, and their flags in the VP8X header. */
const WEBP_METADATA = new Set(['EXIF', 'XMP ']);
const VP8X_EXIF_XMP = 0x08 | 0x04;

/**
 * WebP (RIFF): drops the EXIF and XMP chunks, clears their flags in VP8X and corrects the RIFF
 * size. A chunk whose size runs past the end stops the walk with the rest kept as it is.
 */
export function stripWebpMetadata(bytes: Uint8Array): Uint8Array {
  if (bytes.length < 12 || ascii(bytes, 0, 4) !== 'RIFF' || ascii(bytes, 8, 4) !== 'WEBP') return bytes;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const drop: Array<[number, number]> = [];
  let vp8x: number | undefined;
  let at = 12;
  while (at + 8 <= bytes.length) {
    const size = view.getUint32(at + 4, true);
    const end = at + 8 + size + (size % 2); // chunks are padded to an even size
    if (end > bytes.length) break;
    const type = ascii(bytes, at, 4);
    if (type === 'VP8X') vp8x = at + 8;
    if (WEBP_METADATA.has(type)) drop.push([at, end]);
    at = end;
  }
  if (drop.length === 0) return bytes;
  const out = new Rewrite(bytes);
  for (const [start, end] of drop) out.replace(start, end);
  const result = out.finish();
  const fixed = new DataView(result.buffer, result.byteOffset, result.byteLength);
  fixed.setUint32(4, result.length - 8, true);
  if (vp8x !== undefined) result[vp8x] = (result[vp8x] as number) & ~VP8X_EXIF_XMP;
  return result;
}

// --- HEIF / HEIC (ISO/IEC 23008-12 on the ISO base media file format) ---------------------

/** A box: its type and where its payload lies (after the header; a FullBox's version/flags included). */
interface Box {
  readonly type: string;
  readonly start: number;
  readonly end: number;
}

/** The boxes in `[from, to)`; stops at the first one whose size does not fit. */
function boxes(bytes: Uint8Array, view: DataView, from: number, to: number): Box[] {
  const found: Box[] = [];
  let at = from;
  while (at + 8 <= to) {
    let size = view.getUint32(at);
    let header = 8;
    if (size === 1) {
      if (at + 16 > to) break;
      size = Number(view.getBigUint64(at + 8));
      header = 16;
    } else if (size === 0) size = to - at;
    if (size < header || at + size > to) break;
    found.push({ type: ascii(bytes, at + 4, 4), start: at + header, end: at + size });
    at += size;
  }
  return found;
}

/** An unsigned integer of `size` bytes (0, 4 or 8) at `at`, big-endian. */
function uint(view: DataView, at: number, size: number): number {
  if (size === 0) return 0;
  if (size === 4) return view.getUint32(at);
  if (size === 8) return Number(view.getBigUint64(at));
  throw new RangeError(`field of ${size} bytes`);
}

/** The item ids of the `meta` box's Exif items and of its XMP items (`mime`, application/rdf+xml). */
function metadataItems(bytes: Uint8Array, view: DataView, iinf: Box): { exif: Set<number>; xmp: Set<number> } {
  const exif = new Set<number>();
  const xmp = new Set<number>();
  const version = bytes[iinf.start] as number;
  const first = iinf.start + 4 + (version === 0 ? 2 : 4);
  for (const infe of boxes(bytes, view, first, iinf.end).filter((b) => b.type === 'infe')) {
    const v = bytes[infe.start] as number;
    if (v < 2) continue; // versions 0 and 1 name no item type
    const idSize = v === 2 ? 2 : 4;
    const id = idSize === 2 ? view.getUint16(infe.start + 4) : view.getUint32(infe.start + 4);
    const typeAt = infe.start + 4 + idSize + 2;
    const type = ascii(bytes, typeAt, 4);
    if (type === 'Exif') exif.add(id);
    if (type === 'mime') {
      // item_name, then content_type: both NUL-terminated.
      const nameEnd = bytes.indexOf(0, typeAt + 4);
      const typeStart = nameEnd + 1;
      const typeEnd = bytes.indexOf(0, typeStart);
      if (nameEnd < 0 || typeEnd < 0 || typeEnd > infe.end) continue;
      if (ascii(bytes, typeStart, typeEnd - typeStart) === 'application/rdf+xml') xmp.add(id);
    }
  }
  return { exif, xmp };
}

/** Where each wanted item's bytes lie in the file (`iloc`; in `idat` for construction method 1). */
function itemExtents(bytes: Uint8Array, view: DataView, iloc: Box, idat: Box | undefined, wanted: ReadonlySet<number>): Map<number, Array<[number, number]>> {
  const extents = new Map<number, Array<[number, number]>>();
  const version = bytes[iloc.start] as number;
  let at = iloc.start + 4;
  const offsetSize = (bytes[at] as number) >> 4;
  const lengthSize = (bytes[at] as number) & 0x0f;
  const baseOffsetSize = (bytes[at + 1] as number) >> 4;
  const indexSize = version === 1 || version === 2 ? (bytes[at + 1] as number) & 0x0f : 0;
  at += 2;
  const count = version < 2 ? view.getUint16(at) : view.getUint32(at);
  at += version < 2 ? 2 : 4;
  for (let i = 0; i < count; i += 1) {
    const id = version < 2 ? view.getUint16(at) : view.getUint32(at);
    at += version < 2 ? 2 : 4;
    const method = version === 1 || version === 2 ? view.getUint16(at) & 0x0f : 0;
    if (version === 1 || version === 2) at += 2;
    at += 2; // data_reference_index
    const base = uint(view, at, baseOffsetSize);
    at += baseOffsetSize;
    const extentCount = view.getUint16(at);
    at += 2;
    const ranges: Array<[number, number]> = [];
    for (let e = 0; e < extentCount; e += 1) {
      at += indexSize;
      const offset = uint(view, at, offsetSize);
      at += offsetSize;
      const length = uint(view, at, lengthSize);
      at += lengthSize;
      const start = method === 0 ? base + offset : method === 1 && idat ? idat.start + base + offset : -1;
      if (start >= 0 && length > 0 && start + length <= bytes.length) ranges.push([start, start + length]);
    }
    if (wanted.has(id) && ranges.length > 0) extents.set(id, ranges);
  }
  return extents;
}

/** Writes `content` across `ranges` (an item's extents, in order), padding the rest with `fill`. */
function overwrite(out: Uint8Array, ranges: ReadonlyArray<[number, number]>, content: Uint8Array, fill: number): void {
  let from = 0;
  for (const [start, end] of ranges) {
    for (let i = start; i < end; i += 1, from += 1) out[i] = from < content.length ? (content[from] as number) : fill;
  }
}

/** An item's bytes, its extents joined. */
const joined = (bytes: Uint8Array, ranges: ReadonlyArray<[number, number]>): Uint8Array => {
  const parts = ranges.map(([s, e]) => bytes.subarray(s, e));
  const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  return all;
};

/**
 * HEIF/HEIC: blanks its metadata items in place, so that no offset in the file moves (`iloc`
 * still points where it did): an Exif item keeps its header (the offset to its TIFF block and
 * what precedes it) and gets a TIFF block holding the Orientation alone, zeros after it; an XMP
 * item becomes spaces. A HEIF is shown upright by its `irot`/`imir` properties, which stay. A file
 * whose boxes cannot be walked is returned as it is, as a decoder would meet it.
 */
export function stripHeifMetadata(bytes: Uint8Array): Uint8Array {
  try {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const top = boxes(bytes, view, 0, bytes.length);
    const meta = top.find((b) => b.type === 'meta');
    if (!meta) return bytes;
    const children = boxes(bytes, view, meta.start + 4, meta.end);
    const iinf = children.find((b) => b.type === 'iinf');
    const iloc = children.find((b) => b.type === 'iloc');
    if (!iinf || !iloc) return bytes;
    const { exif, xmp } = metadataItems(bytes, view, iinf);
    if (exif.size === 0 && xmp.size === 0) return bytes;
    const extents = itemExtents(bytes, view, iloc, children.find((b) => b.type === 'idat'), new Set([...exif, ...xmp]));
    if (extents.size === 0) return bytes;
    const out = new Uint8Array(bytes);
    for (const [id, ranges] of extents) {
      if (xmp.has(id)) {
        overwrite(out, ranges, new Uint8Array(0), 0x20);
        continue;
      }
      const item = joined(bytes, ranges);
      const tiffAt = 4 + new DataView(item.buffer, item.byteOffset, item.byteLength).getUint32(0);
      const orientation = tiffAt < item.length ? exifOrientation(item.subarray(tiffAt)) : undefined;
      const tiff = minimalExif(orientation ?? 1).subarray(10); // the TIFF block, without the APP1 and Exif headers
      const header = item.subarray(0, Math.min(tiffAt, item.length));
      const content = new Uint8Array(header.length + (orientation !== undefined ? tiff.length : 14));
      content.set(header);
      if (orientation !== undefined) content.set(tiff, header.length);
      else content.set([0x4d, 0x4d, 0, 42, 0, 0, 0, 8], header.length); // MM, IFD0 at 8 with no entry (zeros)
      overwrite(out, ranges, content.length <= item.length ? content : header, 0);
    }
    return out;
  } catch {
    return bytes; // a box that runs past the end: as a decoder would meet it
  }
}
