import { parseS3Notification } from '../../../events/schemas/s3-event-notification';
import { getSample } from '../../helpers/samples';

describe('Function: parseS3Notification', () => {
  it('decodes the form-encoded key of a real-shaped event', () => {
    const body = JSON.stringify(getSample('s3/object-created.json'));
    expect(parseS3Notification(body)).toEqual([
      {
        bucket: 'sciday-prod-media',
        key: 'uploads/2021-xinxiang/org-kx-hongqi/act-01H9Z/med-7Q2/科普 日.jpg',
        sequencer: '0061391B0B5AC7B2C2',
        eventTime: '2021-09-12T02:31:45.120Z',
      },
    ]);
  });

  it('answers no records for the test event S3 sends once', () => {
    expect(parseS3Notification(JSON.stringify(getSample('s3/test-event.json')))).toEqual([]);
  });

  it.each([
    ['not JSON', 'oops'],
    ['an empty record list', '{"Records":[]}'],
    ['a delete event', JSON.stringify({ Records: [{ ...getSample<{ Records: object[] }>('s3/object-created.json').Records[0], eventName: 'ObjectRemoved:Delete' }] })],
  ])('throws on %s (so the message is retried, then dead-lettered)', (_what, body) => {
    expect(() => parseS3Notification(body)).toThrow();
  });
});
