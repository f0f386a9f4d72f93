/** The one way the views write a stored instant. */
import type { Campaign } from '../domain/campaign';
import { formatInstant } from '../domain/time';

/** A stored UTC instant in the campaign's zone (`+08:00` for Asia/Shanghai). */
export const zoned = (iso: string, campaign: Campaign): string => formatInstant(new Date(iso), campaign.timeZone);
