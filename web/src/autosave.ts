/**
 * Saves a form as the person types (debounced), with the version it was read at as `If-Match`,
 * and keeps every keystroke in local storage until the server has it (local-copy.ts). What can
 * go wrong is a status the page shows, never a loss:
 * - offline / 5xx: kept on this device, retried when the browser is back online and every 15 s;
 * - 412 (someone else saved first): `conflict`, the page offers to load theirs or keep mine;
 * - 401 (sign-in expired): `signed-out`, kept until the person signs in again;
 * - 422: the server's field errors, shown on their fields.
 * A copy is restored on opening only when no other open tab is editing the same record (a Web
 * Lock per record, held while the page is open): a second tab shows the server's values and
 * leaves the first tab's unsaved copy to it, never sending it a second time with the same If-Match.
 */
import { onScopeDispose, ref, watch, type Ref } from 'vue';
import { ApiError, OfflineError, newIdempotencyKey, type FieldProblem } from './api/client';
import { dropLocalCopy, readLocalCopy, writeLocalCopy } from './local-copy';

export type SaveStatus = 'loading' | 'new' | 'saved' | 'pending' | 'saving' | 'invalid' | 'offline' | 'error' | 'conflict' | 'signed-out';

export interface SaveResult {
  /** The record's id (set when a create made it). */
  readonly id?: string;
  readonly version?: number;
}

export interface AutosaveOptions<V> {
  /** Names the form in local storage (`activity`, `results`, `summary`). */
  readonly form: string;
  readonly orgId: string;
  /** The record's id, `new` before it exists. */
  readonly id: Ref<string>;
  readonly values: Ref<V>;
  /** Whether the values may be sent (local validation found nothing blocking). */
  readonly sendable: (values: V) => boolean;
  /** Sends the values; throws ApiError or OfflineError. */
  readonly save: (values: V, context: { version?: number; idempotencyKey: string; id: string }) => Promise<SaveResult>;
  /** The server's current values and version (after a 412). */
  readonly reload: () => Promise<{ values: V; version?: number }>;
  readonly delayMs?: number;
  /**
   * Whether typing saves by itself, given the version on the server (default: always). A work
   * summary is submitted by its first save, so it saves by itself only once it exists; a save
   * the person asked for is retried until it lands either way.
   */
  readonly auto?: (version: number | undefined) => boolean;
}

/**
 * Holds the lock named for one record while this page is open. Resolves false when another open
 * tab holds it (that tab's unsaved copy is its own), true when this page holds it or the browser
 * has no Web Locks (each page then restores as before).
 */
function holdRecordLock(name: string, held: (release: () => void) => void): Promise<boolean> {
  const locks = (globalThis.navigator as Navigator | undefined)?.locks;
  if (!locks) return Promise.resolve(true);
  return new Promise<boolean>((resolve) => {
    locks
      .request(name, { ifAvailable: true }, (lock) => {
        if (!lock) {
          resolve(false);
          return undefined;
        }
        resolve(true);
        return new Promise<void>((release) => held(release));
      })
      .catch(() => resolve(true));
  });
}

export function useAutosave<V>(options: AutosaveOptions<V>) {
  /** `loading` until `load` has the server's values (and any copy kept here): nothing is saved before. */
  const status = ref<SaveStatus>('loading');
  const serverIssues = ref<FieldProblem[]>([]);
  /** When an unsaved copy was restored from this device on opening the page. */
  const restoredAt = ref<string | undefined>(undefined);
  let version: number | undefined;
  let idempotencyKey = newIdempotencyKey();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let inFlight: Promise<boolean> | undefined;
  let changedSinceSend = false;
  /**
   * The values as they were put on the page by the app (loaded, restored, saved elsewhere): the
   * watcher ignores those and reacts only to what the person changes, however soon after.
   */
  let placed = '';
  const place = (values: V) => {
    placed = JSON.stringify(values);
    options.values.value = values;
  };
  /** A save the person asked for that has not landed yet (retried even when not `auto`). */
  let requested = false;
  const auto = () => requested || (options.auto?.(version) ?? true);

  const persist = (unsaved: boolean) =>
    writeLocalCopy(options.form, options.orgId, options.id.value, {
      values: options.values.value,
      ...(version !== undefined ? { baseVersion: version } : {}),
      idempotencyKey,
      unsaved,
    });

  /** The lock this page holds on its record (released when the record's id changes or the page goes). */
  let releaseLock: (() => void) | undefined;
  let disposed = false;
  const claim = (id: string): Promise<boolean> => {
    releaseLock?.();
    releaseLock = undefined;
    return holdRecordLock(`sciday:${options.form}:${options.orgId}:${id}`, (release) => {
      if (disposed) release();
      else releaseLock = release;
    });
  };

  /**
   * Starts from the server's values, or from an unsaved local copy of them (which wins) unless
   * another open tab is editing the record.
   */
  async function load(server: { values: V; version?: number } | undefined): Promise<void> {
    const mine = await claim(options.id.value);
    const local = mine ? readLocalCopy<V>(options.form, options.orgId, options.id.value) : undefined;
    version = server?.version;
    if (local?.unsaved) {
      place(local.values);
      version = local.baseVersion ?? version;
      idempotencyKey = local.idempotencyKey ?? idempotencyKey;
      restoredAt.value = local.at;
      status.value = 'pending';
      if (auto()) schedule(0);
    } else if (server) {
      place(server.values);
      status.value = 'saved';
    } else {
      status.value = 'new';
    }
  }

  function schedule(delay = options.delayMs ?? 800): void {
    clearTimeout(timer);
    timer = setTimeout(() => void flush(), delay);
  }

  /** Saves now; resolves true once the server has the current values. */
  async function flush(): Promise<boolean> {
    requested = true;
    clearTimeout(timer);
    if (inFlight) {
      await inFlight;
      if (!changedSinceSend) return status.value === 'saved';
    }
    if (status.value === 'saved') return true;
    if (status.value === 'new' || status.value === 'loading') return false;
    if (status.value === 'conflict') return false;
    if (!options.sendable(options.values.value)) {
      status.value = 'invalid';
      return false;
    }
    inFlight = send();
    try {
      return await inFlight;
    } finally {
      inFlight = undefined;
    }
  }

  async function send(): Promise<boolean> {
    changedSinceSend = false;
    status.value = 'saving';
    const sent = JSON.stringify(options.values.value);
    try {
      const result = await options.save(JSON.parse(sent) as V, { ...(version !== undefined ? { version } : {}), idempotencyKey, id: options.id.value });
      if (result.id && result.id !== options.id.value) {
        dropLocalCopy(options.form, options.orgId, options.id.value);
        options.id.value = result.id;
        void claim(result.id);
      }
      version = result.version ?? version;
      serverIssues.value = [];
      idempotencyKey = newIdempotencyKey();
      const unchanged = JSON.stringify(options.values.value) === sent;
      persist(!unchanged);
      if (unchanged) {
        dropLocalCopy(options.form, options.orgId, options.id.value);
        status.value = 'saved';
        requested = false;
        return true;
      }
      status.value = 'pending';
      if (auto()) schedule();
      return false;
    } catch (error) {
      persist(true);
      if (error instanceof OfflineError) status.value = 'offline';
      else if (error instanceof ApiError && error.status === 412) status.value = 'conflict';
      else if (error instanceof ApiError && error.status === 401) status.value = 'signed-out';
      else if (error instanceof ApiError && error.status === 422) {
        serverIssues.value = error.problem.errors ?? [];
        status.value = 'invalid';
      } else status.value = 'error';
      return false;
    }
  }

  /** After a 412: load the other editor's version, or keep mine and save it over theirs. */
  async function resolveConflict(choice: 'theirs' | 'mine'): Promise<void> {
    const server = await options.reload();
    version = server.version;
    if (choice === 'theirs') {
      place(server.values);
      dropLocalCopy(options.form, options.orgId, options.id.value);
      status.value = 'saved';
    } else {
      status.value = 'pending';
      await flush();
    }
  }

  /** The server has these values (after a save made elsewhere, e.g. submit). */
  function markSaved(next: { values: V; version?: number }): void {
    place(next.values);
    version = next.version ?? version;
    dropLocalCopy(options.form, options.orgId, options.id.value);
    status.value = 'saved';
  }

  watch(
    options.values,
    (values) => {
      // Before the record arrives the form is disabled (the pages say so); `load` places its values.
      if (status.value === 'loading') return;
      if (JSON.stringify(values) === placed) return;
      placed = '';
      changedSinceSend = true;
      persist(true);
      if (status.value !== 'conflict') {
        status.value = 'pending';
        if (auto()) schedule();
      }
    },
    { deep: true },
  );

  const retry = () => {
    if (auto() && ['offline', 'error', 'pending'].includes(status.value)) void flush();
  };
  window.addEventListener('online', retry);
  const every = setInterval(retry, 15_000);
  const beforeUnload = (e: BeforeUnloadEvent) => {
    if (status.value !== 'saved' && status.value !== 'loading') e.preventDefault();
  };
  window.addEventListener('beforeunload', beforeUnload);
  // The page (or the scope that made this) goes away: stop retrying; a pending change gets one last try.
  onScopeDispose(() => {
    disposed = true;
    releaseLock?.();
    clearTimeout(timer);
    clearInterval(every);
    window.removeEventListener('online', retry);
    window.removeEventListener('beforeunload', beforeUnload);
    if (auto() && status.value === 'pending') void flush();
  });

  return {
    status,
    serverIssues,
    restoredAt,
    load,
    flush,
    resolveConflict,
    markSaved,
    version: () => version,
  };
}
