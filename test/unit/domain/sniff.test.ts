import { sniffContentType } from '../../../shared/domain/sniff';
import { sampleFile } from '../../helpers/sample-files';

describe('Function: sniffContentType', () => {
  it.each([
    ['jpeg', 'image/jpeg'],
    ['png', 'image/png'],
    ['webp', 'image/webp'],
    ['heic', 'image/heic'],
    ['mp4', 'video/mp4'],
    ['mov', 'video/quicktime'],
    ['pdf', 'application/pdf'],
    ['docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
    ['zip', 'application/zip'],
    ['exe', 'application/x-msdownload'],
    ['elf', 'application/x-elf'],
  ] as const)('tells a %s by its first bytes', (kind, type) => {
    expect(sniffContentType(sampleFile(kind))).toBe(type);
  });

  it('names nothing for text or empty input', () => {
    expect(sniffContentType(Buffer.from('hello, 科普'))).toBeUndefined();
    expect(sniffContentType(new Uint8Array())).toBeUndefined();
  });
});
