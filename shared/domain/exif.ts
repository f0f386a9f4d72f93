/**
 * The capture date a JPEG's EXIF block states (DateTimeOriginal, else DateTime), read from
 * the first bytes of the file. Pure and tolerant: anything unreadable is simply no date.
 */

/** `YYYY-MM-DDTHH:MM:SS` as the camera wrote it (local time, no zone), or `undefined`. */
export function exifCaptureDate(bytes: Uint8Array): string | undefined {
  if (bytes[0] !== 0xff || bytes[1] !== 0xd8) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 2;
  while (at + 4 <= bytes.length && bytes[at] === 0xff) {
    const marker = bytes[at + 1];
    const length = view.getUint16(at + 2);
    if (marker === 0xda) return undefined; // image data starts: no EXIF before it
    if (marker === 0xe1 && String.fromCharCode(...bytes.subarray(at + 4, at + 10)) === 'Exif\0\0') {
      return readTiff(view, at + 10);
    }
    at += 2 + length;
  }
  return undefined;
}

const DATE_TIME_ORIGINAL = 0x9003;
const DATE_TIME = 0x0132;
const EXIF_IFD = 0x8769;

function readTiff(view: DataView, tiff: number): string | undefined {
  try {
    const little = view.getUint16(tiff) === 0x4949; // 'II'
    const u16 = (o: number) => view.getUint16(tiff + o, little);
    const u32 = (o: number) => view.getUint32(tiff + o, little);
    if (u16(2) !== 42) return undefined;
    const entries = (ifd: number) =>
      Array.from({ length: u16(ifd) }, (_, i) => {
        const e = ifd + 2 + i * 12;
        return { tag: u16(e), count: u32(e + 4), value: u32(e + 8) };
      });
    const ascii = (offset: number, count: number) => {
      let s = '';
      for (let i = 0; i < count - 1; i += 1) s += String.fromCharCode(view.getUint8(tiff + offset + i));
      return s;
    };
    const ifd0 = entries(u32(4));
    const exifPointer = ifd0.find((e) => e.tag === EXIF_IFD);
    const original = exifPointer ? entries(exifPointer.value).find((e) => e.tag === DATE_TIME_ORIGINAL) : undefined;
    const found = original ?? ifd0.find((e) => e.tag === DATE_TIME);
    if (!found) return undefined;
    const m = /^(\d{4}):(\d{2}):(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(ascii(found.value, found.count));
    return m ? `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}` : undefined;
  } catch {
    return undefined;
  }
}
