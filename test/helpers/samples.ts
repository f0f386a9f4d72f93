/** Loads a real-shaped sample from `events/samples`; returns a fresh copy each time. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export function getSample<T = unknown>(path: string): T {
  return JSON.parse(readFileSync(join(__dirname, '..', '..', 'events', 'samples', path), 'utf8')) as T;
}
