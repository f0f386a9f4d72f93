import { exifCaptureDate } from '../../../shared/domain/exif';
import { jpegWithExif, sampleFile } from '../../helpers/sample-files';

describe('Function: exifCaptureDate', () => {
  it('reads DateTimeOriginal in either byte order', () => {
    expect(exifCaptureDate(jpegWithExif('2021:09:12 09:30:00'))).toBe('2021-09-12T09:30:00');
    expect(exifCaptureDate(jpegWithExif('2019:05:01 18:00:05', true))).toBe('2019-05-01T18:00:05');
  });

  it('finds no date in a JPEG without EXIF, another format, or a truncated block', () => {
    expect(exifCaptureDate(sampleFile('jpeg'))).toBeUndefined();
    expect(exifCaptureDate(sampleFile('png'))).toBeUndefined();
    expect(exifCaptureDate(jpegWithExif('2021:09:12 09:30:00').subarray(0, 30))).toBeUndefined();
    expect(exifCaptureDate(jpegWithExif('not a date at all !'))).toBeUndefined();
  });
});
