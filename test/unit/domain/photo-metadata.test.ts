// Photos are stored and served without what identifies a person or a device (PIPL, ADR 0048):
// real photos read with exifr before and after, and hand-built edge cases.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import exifr from 'exifr';
import { stripHeifMetadata, stripJpegMetadata, stripPhotoMetadata, stripPngMetadata, stripWebpMetadata } from '../../../shared/domain/photo-metadata';
import { exifCaptureDate } from '../../../shared/domain/exif';
import { sniffContentType } from '../../../shared/domain/sniff';
import { XMP_WITH_GPS, decodableJpeg, exifTiffOf, heifWithMetadata, sampleFile } from '../../helpers/sample-files';

const fixture = (name: string) => readFileSync(join(__dirname, '../../fixtures/photos', name));
/** Every block exifr reads, unmerged, values untranslated. */
const everything = (bytes: Uint8Array) =>
  exifr.parse(Buffer.from(bytes), { tiff: true, ifd0: {}, ifd1: true, exif: true, gps: true, interop: true, xmp: true, iptc: true, icc: false, jfif: false, makerNote: true, userComment: true, mergeOutput: false, translateValues: false, reviveValues: false } as never) as Promise<Record<string, Record<string, unknown>> | undefined>;

/** The frame header (SOFn) as hex, every marker before the first scan, and where that scan (SOS) starts. */
function frame(bytes: Uint8Array): { sof: string; markers: number[]; sos: number } {
  const markers: number[] = [];
  let sof = '';
  let at = 2;
  while (at + 4 <= bytes.length && bytes[at] === 0xff) {
    const marker = bytes[at + 1] as number;
    const length = ((bytes[at + 2] as number) << 8) | (bytes[at + 3] as number);
    if (marker === 0xda) return { sof, markers, sos: at };
    markers.push(marker);
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) sof = Buffer.from(bytes.subarray(at, at + 2 + length)).toString('hex');
    at += 2 + length;
  }
  return { sof, markers, sos: -1 };
}
/** The bytes from the first scan (SOS) on: the image data itself. */
const scan = (bytes: Uint8Array) => Buffer.from(bytes.subarray(frame(bytes).sos));

describe('Function: stripPhotoMetadata, real photos (exifr before and after)', () => {
  it('removes the GPS position, make and model, capture details and thumbnail of an iPhone photo, keeping its orientation and pixels', async () => {
    // Prepare
    const original = fixture('iphone-4s-gps.jpg');
    const before = await everything(original);
    expect(before?.gps).toMatchObject({ GPSLatitudeRef: 'N', GPSLongitudeRef: 'W' });
    expect(before?.ifd0).toMatchObject({ Make: 'Apple', Model: 'iPhone 4S', Orientation: 1 });
    expect(before?.ifd1).toHaveProperty('ThumbnailLength');
    expect(await exifr.thumbnail(original)).toBeDefined();
    expect((await exifr.gps(original))?.latitude).toBeCloseTo(37.776, 2);
    // Act
    const stripped = stripPhotoMetadata(original, 'image/jpeg');
    // Assess: the orientation alone is left
    expect(await everything(stripped)).toEqual({ ifd0: { Orientation: 1 } });
    expect(await exifr.gps(Buffer.from(stripped))).toBeUndefined();
    expect(await exifr.thumbnail(Buffer.from(stripped))).toBeUndefined();
    expect(await exifr.orientation(Buffer.from(stripped))).toBe(await exifr.orientation(original));
    // Still the same image: same frame header (size, components), same scan bytes to the end, still a JPEG.
    expect(frame(stripped).sof).toBe(frame(original).sof);
    expect(frame(stripped).sof).not.toBe('');
    expect(scan(stripped)).toEqual(scan(original));
    expect(sniffContentType(stripped)).toBe('image/jpeg');
    expect(stripped.length).toBeLessThan(original.length - 10_000);
    // The capture date is read before stripping (the media check keeps it as capturedAt).
    expect(exifCaptureDate(original)).toBe('2012-12-22T19:40:02');
    expect(exifCaptureDate(stripped)).toBeUndefined();
  });

  it('removes XMP, IPTC, the author comment and the thumbnail of an edited camera photo, keeping its ICC profile', async () => {
    // Prepare
    const original = fixture('nikon-d100-xmp-iptc.jpg');
    const before = await everything(original);
    expect(Object.keys(before ?? {})).toEqual(expect.arrayContaining(['ifd0', 'exif', 'ifd1', 'iptc', 'xap', 'xapMM']));
    expect(before?.ifd0).toMatchObject({ Make: 'NIKON CORPORATION', Model: 'NIKON D100' });
    expect(original.toString('latin1')).toContain('Lennart@sorth.dk');
    expect(frame(original).markers).toEqual(expect.arrayContaining([0xe1, 0xed, 0xe2, 0xee]));
    // Act
    const stripped = stripPhotoMetadata(original, 'image/jpeg');
    // Assess
    expect(await everything(stripped)).toEqual({ ifd0: { Orientation: 1 } });
    expect(Buffer.from(stripped).toString('latin1')).not.toMatch(/sorth|NIKON|Photoshop|xmp|uuid:/i);
    // APP0 JFIF, APP1 (the minimal Exif), APP2 ICC, APP14 Adobe stay; APP13 and the XMP APP1 go.
    expect(frame(stripped).markers.filter((m) => m >= 0xe0)).toEqual([0xe0, 0xe1, 0xe2, 0xee]);
    expect(frame(stripped).sof).toBe(frame(original).sof);
    expect(scan(stripped)).toEqual(scan(original));
  });

  it('removes a lens serial number', async () => {
    const original = fixture('lens-serial.jpg');
    expect((await everything(original))?.exif).toMatchObject({ LensSerialNumber: '123', LensMake: 'Lens Maker Inc.' });
    const stripped = stripPhotoMetadata(original, 'image/jpeg');
    // No orientation in the original: no Exif at all.
    expect(await everything(stripped)).toBeUndefined();
    expect(Buffer.from(stripped).toString('latin1')).not.toContain('Lens Maker');
    expect(frame(stripped).sof).toBe(frame(original).sof);
  });
});

/** A JPEG segment `FF <marker>` with its body. */
const segment = (marker: number, body: Buffer) => {
  const head = Buffer.alloc(4);
  head.writeUInt16BE(0xff00 | marker, 0);
  head.writeUInt16BE(body.length + 2, 2);
  return Buffer.concat([head, body]);
};
/** An Exif APP1 whose IFD0 holds Orientation and a BodySerialNumber-like ASCII tag, either byte order, with a GPS IFD. */
function exifApp1(littleEndian: boolean, orientation?: number): Buffer {
  const tiff = Buffer.alloc(8 + 2 + 3 * 12 + 4 + 2 + 12 + 4 + 16);
  const w16 = (v: number, o: number) => (littleEndian ? tiff.writeUInt16LE(v, o) : tiff.writeUInt16BE(v, o));
  const w32 = (v: number, o: number) => (littleEndian ? tiff.writeUInt32LE(v, o) : tiff.writeUInt32BE(v, o));
  tiff.write(littleEndian ? 'II' : 'MM', 0, 'latin1');
  w16(42, 2);
  w32(8, 4);
  w16(3, 8);
  const entries: Array<[number, number, number, number]> = [
    [0x0112, 3, 1, orientation ?? 0], // Orientation (left 0 when not asked: an invalid value)
    [0xa431, 2, 8, 64], // BodySerialNumber, 8 bytes at 64
    [0x8825, 4, 1, 50], // the GPS IFD at 50
  ];
  entries.forEach(([tag, type, count, value], i) => {
    const e = 10 + i * 12;
    w16(tag, e);
    w16(type, e + 2);
    w32(count, e + 4);
    if (type === 3) w16(value, e + 8);
    else w32(value, e + 8);
  });
  w32(0, 46);
  w16(1, 50); // GPS IFD: GPSLatitudeRef 'N'
  w16(0x0001, 52);
  w16(2, 54);
  w32(2, 56);
  tiff.write('N\0', 60, 'latin1');
  tiff.write('SN123456', 64, 'latin1');
  return segment(0xe1, Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff]));
}
const withSegments = (...segments: Buffer[]) => {
  const image = decodableJpeg();
  return Buffer.concat([image.subarray(0, 2), ...segments, image.subarray(2)]);
};

describe('Function: stripJpegMetadata, edge cases', () => {
  it.each([
    ['big-endian', false],
    ['little-endian', true],
  ])('keeps only the orientation of a %s Exif block', async (_order, little) => {
    const stripped = stripJpegMetadata(withSegments(exifApp1(little, 6)));
    expect(await everything(stripped)).toEqual({ ifd0: { Orientation: 6 } });
    expect(Buffer.from(stripped).toString('latin1')).not.toContain('SN123456');
    expect(scan(stripped)).toEqual(scan(decodableJpeg()));
  });

  it('drops an Exif block with no valid orientation entirely', async () => {
    const stripped = stripJpegMetadata(withSegments(exifApp1(false)));
    expect(Buffer.from(stripped)).toEqual(decodableJpeg());
  });

  it('strips a stripped photo to the same bytes, the same object (nothing left to remove)', () => {
    const once = stripJpegMetadata(fixture('iphone-4s-gps.jpg'));
    expect(stripJpegMetadata(once)).toBe(once);
  });

  it('returns a JPEG without metadata as it is (the same bytes)', () => {
    const image = decodableJpeg();
    expect(stripJpegMetadata(image)).toBe(image);
    const sample = sampleFile('jpeg', 3000);
    expect(stripJpegMetadata(sample)).toBe(sample);
  });

  it('drops COM, APP13, XMP, MPF and vendor segments, a JFIF thumbnail, and whatever follows the end of the image', () => {
    const jfifWithThumbnail = segment(0xe0, Buffer.concat([Buffer.from('JFIF\0', 'latin1'), Buffer.from([1, 1, 0, 0, 1, 0, 1, 1, 1]), Buffer.from([9, 9, 9])]));
    const image = decodableJpeg();
    const input = Buffer.concat([
      image.subarray(0, 2),
      jfifWithThumbnail,
      segment(0xfe, Buffer.from('taken by 张三 13800000000')),
      segment(0xed, Buffer.from('Photoshop 3.0\0 8BIM city')),
      segment(0xe1, Buffer.from('http://ns.adobe.com/xap/1.0/\0<x:xmpmeta>Xinxiang</x:xmpmeta>')),
      segment(0xe2, Buffer.from('MPF\0 offsets')),
      segment(0xeb, Buffer.from('JP vendor')),
      image.subarray(2 + 18), // after decodableJpeg's own JFIF
      Buffer.from('MPF second image with GPS'),
    ]);
    const stripped = Buffer.from(stripJpegMetadata(input));
    expect(stripped.toString('latin1')).not.toMatch(/张三|13800000000|8BIM|Xinxiang|MPF|vendor|GPS/);
    expect(stripped.subarray(0, 20)).toEqual(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, ...Buffer.from('JFIF\0'), 1, 1, 0, 0, 1, 0, 1, 0, 0]));
    expect(stripped.subarray(-2)).toEqual(Buffer.from([0xff, 0xd9]));
    expect(frame(stripped).sof).toBe(frame(image).sof);
  });

  it('never throws on truncated or corrupt input, and leaves no metadata it could not read', () => {
    const full = withSegments(exifApp1(true, 3), segment(0xfe, Buffer.from('comment')));
    for (let cut = 0; cut <= full.length; cut += 1) {
      const part = full.subarray(0, cut);
      const stripped = Buffer.from(stripJpegMetadata(part));
      expect(stripped.toString('latin1')).not.toContain('SN123456');
      expect(stripped.toString('latin1')).not.toContain('comment');
    }
    // A segment length of 0 or 1, an Exif pointer past its block, a lone marker at the end.
    expect(() => stripJpegMetadata(Buffer.from([0xff, 0xd8, 0xff, 0xe1, 0x00, 0x00, 0xff, 0xd9]))).not.toThrow();
    const badPointer = exifApp1(false, 1);
    badPointer.writeUInt32BE(0xfffffff0, 4 + 6 + 4);
    expect(stripJpegMetadata(withSegments(badPointer))).toEqual(decodableJpeg());
    expect(stripJpegMetadata(Buffer.from([0xff, 0xd8, 0xff]))).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
  });

  it('leaves files that are not JPEG alone', () => {
    const png = sampleFile('png');
    expect(stripJpegMetadata(png)).toBe(png);
    expect(stripPhotoMetadata(sampleFile('heic'), 'image/heic')).toEqual(sampleFile('heic'));
  });
});

/** A PNG chunk: length, type, data, a CRC (not checked by the stripper, left zero). */
const chunk = (type: string, data: Buffer) => {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  return Buffer.concat([head, data, Buffer.alloc(4)]);
};

describe('Function: stripPngMetadata', () => {
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const ihdr = chunk('IHDR', Buffer.alloc(13, 1));
  const idat = chunk('IDAT', Buffer.from('pixels'));
  const iend = chunk('IEND', Buffer.alloc(0));

  it('drops eXIf, text and time chunks and anything after IEND', () => {
    const input = Buffer.concat([signature, ihdr, chunk('eXIf', Buffer.from('MM GPS')), chunk('iTXt', Buffer.from('XML:com.adobe.xmp')), chunk('tEXt', Buffer.from('Author\0张三')), chunk('tIME', Buffer.alloc(7)), idat, iend, Buffer.from('trailer')]);
    expect(Buffer.from(stripPngMetadata(input))).toEqual(Buffer.concat([signature, ihdr, idat, iend]));
  });

  it('passes a PNG without metadata, or with a chunk running past the end, through as it is', () => {
    const clean = Buffer.concat([signature, ihdr, idat, iend]);
    expect(stripPngMetadata(clean)).toBe(clean);
    const sample = sampleFile('png', 3000);
    expect(stripPngMetadata(sample)).toBe(sample);
    expect(() => stripPngMetadata(signature.subarray(0, 4))).not.toThrow();
  });
});

describe('Function: stripWebpMetadata', () => {
  const riff = (...chunks: Buffer[]) => {
    const body = Buffer.concat([Buffer.from('WEBP'), ...chunks]);
    const head = Buffer.alloc(8);
    head.write('RIFF', 0, 'latin1');
    head.writeUInt32LE(body.length, 4);
    return Buffer.concat([head, body]);
  };
  const webpChunk = (type: string, data: Buffer) => {
    const head = Buffer.alloc(8);
    head.write(type, 0, 'latin1');
    head.writeUInt32LE(data.length, 4);
    return Buffer.concat([head, data, Buffer.alloc(data.length % 2)]);
  };

  it('drops the EXIF and XMP chunks, clears their flags and corrects the RIFF size', () => {
    const vp8x = (flags: number) => webpChunk('VP8X', Buffer.from([flags, 0, 0, 0, 1, 0, 0, 1, 0, 0]));
    const image = webpChunk('VP8L', Buffer.from('pixels!'));
    const input = riff(vp8x(0x20 | 0x08 | 0x04), webpChunk('ICCP', Buffer.from('icc')), image, webpChunk('EXIF', Buffer.from('MM GPS')), webpChunk('XMP ', Buffer.from('<x:xmpmeta/>')));
    expect(Buffer.from(stripWebpMetadata(input))).toEqual(riff(vp8x(0x20), webpChunk('ICCP', Buffer.from('icc')), image));
  });

  it('passes a WebP without metadata, or a truncated one, through as it is', () => {
    const sample = sampleFile('webp', 2500);
    expect(stripWebpMetadata(sample)).toBe(sample);
    expect(() => stripWebpMetadata(Buffer.from('RIFF\0\0\0\0WEBPVP8X'))).not.toThrow();
  });
});

describe('Function: stripHeifMetadata (HEIC, as iPhones save photos)', () => {
  /** The iPhone photo's Exif (a real phone's GPS, make and model) in a HEIF, with an XMP packet holding a position. */
  const iphoneTiff = () => exifTiffOf(fixture('iphone-4s-gps.jpg'));
  const XMP = XMP_WITH_GPS;

  it('blanks the Exif and XMP items of a HEIC in place: no GPS, make or model left, orientation and every other byte kept', async () => {
    // Prepare
    const { file, items } = heifWithMetadata({ tiff: iphoneTiff(), xmp: XMP });
    expect(sniffContentType(file)).toBe('image/heic');
    expect((await exifr.gps(file))?.latitude).toBeCloseTo(37.776, 2);
    expect(await everything(file)).toMatchObject({ ifd0: { Make: 'Apple', Model: 'iPhone 4S', Orientation: 1 } });
    // Act
    const stripped = stripPhotoMetadata(file, 'image/heic');
    // Assess
    expect(await exifr.gps(Buffer.from(stripped))).toBeUndefined();
    expect(await everything(stripped)).toEqual({ ifd0: { Orientation: 1 } });
    expect(Buffer.from(stripped).toString('latin1')).not.toMatch(/Apple|iPhone|GPSLatitude|37,46/);
    // Same length and the same bytes outside the two items: iloc, the image and its irot still hold.
    expect(stripped.length).toBe(file.length);
    const outsideItems = (b: Uint8Array) => Buffer.concat([b.subarray(0, items.exif[0]), b.subarray(items.xmp[1])]);
    expect(outsideItems(stripped)).toEqual(outsideItems(file));
    expect(Buffer.from(stripped.subarray(items.xmp[0], items.xmp[1])).toString('latin1').trim()).toBe('');
    expect(sniffContentType(stripped)).toBe('image/heic');
    // Stripping again changes nothing more.
    expect(Buffer.from(stripHeifMetadata(stripped))).toEqual(Buffer.from(stripped));
  });

  it('passes a HEIC without metadata items, or with boxes running past the end, through as it is', () => {
    const plain = sampleFile('heic');
    expect(stripHeifMetadata(plain)).toBe(plain);
    const { file } = heifWithMetadata({ tiff: iphoneTiff(), xmp: XMP });
    const truncated = file.subarray(0, 200);
    expect(stripHeifMetadata(truncated)).toBe(truncated);
  });
});
