/**
 * Every DynamoDB key SciDay builds, in one place. Use cases never concatenate keys.
 */
export interface ItemKey {
  readonly pk: string;
  readonly sk: string;
}

export const keys = {
  /** Audit entries of one item, time-ordered; the event id makes a redelivery idempotent. */
  auditEntry: (subject: ItemKey, at: string, eventId: string): ItemKey => ({
    pk: `AUDIT#${subject.pk}#${subject.sk}`,
    sk: `${at}#${eventId}`,
  }),
  /** The partition holding one item's audit trail. */
  auditTrail: (subject: ItemKey): string => `AUDIT#${subject.pk}#${subject.sk}`,
  /** What the media check last saw of one stored object. */
  storedObject: (bucket: string, objectKey: string): ItemKey => ({ pk: `OBJECT#${bucket}#${objectKey}`, sk: 'OBJECT' }),
};
