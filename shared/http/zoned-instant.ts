/** The one way the views write a stored instant. */
import type { Campaign } from '../domain/campaign';
import { formatInstant } from '../domain/time';

/** A stored UTC instant (ISO text or a Date) in the campaign's zone (`+08:00` for Asia/Shanghai). */
export const zoned = (at: string | Date, campaign: Pick<Campaign, 'timeZone'>): string => formatInstant(typeof at === 'string' ? new Date(at) : at, campaign.timeZone);
