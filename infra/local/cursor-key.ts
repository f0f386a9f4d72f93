/**
 * The key that signs list cursors on one machine (ADR 0031): 32 random bytes made on the first
 * start and kept in `<dataDir>/cursor-key` (readable by its owner only), as the local token
 * issuer keeps its key pair. Cursors issued before a restart still page afterwards; a new data
 * dir has a new key. The runtime hands it to the handlers as `SCIDAY_CURSOR_KEY` (base64url).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const CURSOR_KEY_FILE = 'cursor-key';
/** The pseudonym key (ADR 0047), kept the same way: a new one would make new pseudonyms. */
export const PSEUDONYM_KEY_FILE = 'pseudonym-key';
/** The key that seals webhook URLs at rest (ADR 0048), kept the same way; never committed (the data dir is not in the repo). */
export const WEBHOOK_KEY_FILE = 'webhook-key';

/** The data dir's webhook sealing key as base64url (`SCIDAY_WEBHOOK_KEY`), made (and kept) on first use. */
export function localWebhookKey(dataDir: string): string {
  return localCursorKey(dataDir, WEBHOOK_KEY_FILE);
}

/** The data dir's cursor key (or the key kept in `name`) as base64url, made (and kept) on first use. */
export function localCursorKey(dataDir: string, name: string = CURSOR_KEY_FILE): string {
  const file = join(dataDir, name);
  if (existsSync(file)) {
    const kept = readFileSync(file, 'utf8').trim();
    if (Buffer.from(kept, 'base64url').length >= 32) return kept;
  }
  const key = randomBytes(32).toString('base64url');
  writeFileSync(file, key, { mode: 0o600 });
  return key;
}
