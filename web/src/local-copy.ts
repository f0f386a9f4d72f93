/**
 * What a person typed, kept in local storage until the server has it: a failed save (offline,
 * 412, 5xx, an expired sign-in) or a closed tab never loses a word. One entry per form, keyed by
 * the signed-in unit and the record (`new` before a draft exists).
 */
export interface LocalCopy<V> {
  readonly values: V;
  /** The server version the edits were made on (the save's `If-Match`). */
  readonly baseVersion?: number;
  /** The key of the create request that made (or will make) the record: a retry reuses it. */
  readonly idempotencyKey?: string;
  /** True while the server does not have these values. */
  readonly unsaved: boolean;
  readonly at: string;
}

const key = (form: string, orgId: string, id: string) => `sciday:${form}:${orgId}:${id}`;

export function readLocalCopy<V>(form: string, orgId: string, id: string): LocalCopy<V> | undefined {
  try {
    const raw = localStorage.getItem(key(form, orgId, id));
    return raw ? (JSON.parse(raw) as LocalCopy<V>) : undefined;
  } catch {
    return undefined;
  }
}

export function writeLocalCopy<V>(form: string, orgId: string, id: string, copy: Omit<LocalCopy<V>, 'at'>): void {
  try {
    localStorage.setItem(key(form, orgId, id), JSON.stringify({ ...copy, at: new Date().toISOString() }));
  } catch {
    // Storage full or disabled: the page still holds the text, and the status says unsaved.
  }
}

export function dropLocalCopy(form: string, orgId: string, id: string): void {
  localStorage.removeItem(key(form, orgId, id));
}
