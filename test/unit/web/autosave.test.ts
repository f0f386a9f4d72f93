// The save-as-you-type mechanism of the web app, with the browser's storage and events stood in
// by small fakes (jest runs in Node): whatever the save meets, what was typed stays on the page
// and in local storage until the server has it, and the status says which case it is.
import { effectScope, nextTick, ref } from 'vue';
import { ApiError, OfflineError } from '../../../web/src/api/client';
import { useAutosave, type SaveResult } from '../../../web/src/autosave';
import { readLocalCopy } from '../../../web/src/local-copy';

class MemoryStorage {
  private readonly items = new Map<string, string>();
  getItem = (k: string) => this.items.get(k) ?? null;
  setItem = (k: string, v: string) => void this.items.set(k, v);
  removeItem = (k: string) => void this.items.delete(k);
}

/** The browser's Web Locks, as far as autosave uses them: exclusive, `ifAvailable`, held until the callback's promise settles. */
class MemoryLocks {
  readonly held = new Set<string>();
  async request(name: string, options: { ifAvailable?: boolean }, callback: (lock: { name: string } | null) => unknown): Promise<unknown> {
    if (this.held.has(name)) {
      if (!options.ifAvailable) throw new Error('only ifAvailable requests are faked');
      return callback(null);
    }
    this.held.add(name);
    try {
      return await callback({ name });
    } finally {
      this.held.delete(name);
    }
  }
}

interface Form {
  title: string;
}

/** A save port that answers what the test queues: a result, or an error to throw. */
async function harness(initial?: { values: Form; version?: number }) {
  const answers: Array<SaveResult | Error> = [];
  const sent: Array<{ values: Form; version?: number; idempotencyKey: string; id: string }> = [];
  const values = ref<Form>({ title: '' });
  const id = ref(initial ? 'a1' : 'new');
  const scope = effectScope();
  const autosave = scope.run(() =>
    useAutosave<Form>({
      form: 'test',
      orgId: 'hongqi-kx',
      id,
      values,
      sendable: (v) => v.title !== 'bad',
      save: async (v, ctx) => {
        sent.push({ values: v, ...ctx });
        const answer = answers.shift() ?? { version: (ctx.version ?? 0) + 1 };
        if (answer instanceof Error) throw answer;
        return answer;
      },
      reload: async () => ({ values: { title: 'theirs' }, version: 7 }),
      delayMs: 10,
    }),
  )!;
  await autosave.load(initial);
  scopes.push(scope);
  return { autosave, values, id, answers, sent, stop: () => scope.stop() };
}

/** Every scope a test made, stopped after it even when it failed (no retry timer outlives it). */
const scopes: Array<{ stop(): void }> = [];
afterEach(() => scopes.splice(0).forEach((s) => s.stop()));

const settle = async () => {
  for (let i = 0; i < 5; i++) {
    await nextTick();
    await new Promise((r) => setTimeout(r, 15));
  }
};

beforeEach(() => {
  Object.assign(globalThis, { localStorage: new MemoryStorage(), window: Object.assign(new EventTarget(), { location: { origin: 'http://localhost' } }) });
  Object.defineProperty(globalThis, 'navigator', { value: { locks: new MemoryLocks() }, configurable: true, writable: true });
});

describe('Function: useAutosave', () => {
  it('creates the draft once with its idempotency key, then saves changes with the version it read', async () => {
    const h = await harness();
    h.answers.push({ id: 'a1', version: 1 });
    h.values.value = { title: '讲座' };
    await settle();
    h.values.value = { title: '科普讲座' };
    await settle();
    expect(h.autosave.status.value).toBe('saved');
    expect(h.sent.map((s) => [s.id, s.version])).toEqual([['new', undefined], ['a1', 1]]);
    expect(h.id.value).toBe('a1');
    expect(readLocalCopy('test', 'hongqi-kx', 'a1')).toBeUndefined();
    h.stop();
  });

  it.each([
    ['offline', new OfflineError(), 'offline'],
    ['a 5xx', new ApiError(503, { title: 'Service Unavailable' }), 'error'],
    ['an expired sign-in', new ApiError(401, { title: 'unauthorized' }), 'signed-out'],
    ['another editor (412)', new ApiError(412, { title: 'stale' }), 'conflict'],
  ])('keeps what was typed after %s, says so, and saves it once the server takes it', async (_case, error, status) => {
    // Prepare
    const h = await harness({ values: { title: '原标题' }, version: 3 });
    h.answers.push(error);
    // Act
    h.values.value = { title: '新标题' };
    await settle();
    // Assess: on the page and on this device
    expect(h.autosave.status.value).toBe(status);
    expect(h.values.value.title).toBe('新标题');
    expect(readLocalCopy<Form>('test', 'hongqi-kx', 'a1')).toMatchObject({ values: { title: '新标题' }, baseVersion: 3, unsaved: true });
    // Act: the next attempt lands (after a 412: keep mine, on their version)
    if (status === 'conflict') await h.autosave.resolveConflict('mine');
    else await h.autosave.flush();
    // Assess
    expect(h.autosave.status.value).toBe('saved');
    expect(h.sent.at(-1)).toMatchObject({ values: { title: '新标题' }, version: status === 'conflict' ? 7 : 3 });
    expect(readLocalCopy('test', 'hongqi-kx', 'a1')).toBeUndefined();
    h.stop();
  });

  it('shows the server’s field errors after a 422 and keeps the text', async () => {
    const h = await harness({ values: { title: 'x' }, version: 1 });
    h.answers.push(new ApiError(422, { errors: [{ path: 'title', code: 'too_short', message: '至少需要 2 个字符' }] }));
    h.values.value = { title: 'y' };
    await settle();
    expect(h.autosave.status.value).toBe('invalid');
    expect(h.autosave.serverIssues.value).toEqual([{ path: 'title', code: 'too_short', message: '至少需要 2 个字符' }]);
    expect(readLocalCopy<Form>('test', 'hongqi-kx', 'a1')?.values.title).toBe('y');
    h.stop();
  });

  it('does not send what the browser already knows is invalid, but keeps it on this device', async () => {
    const h = await harness({ values: { title: 'ok' }, version: 1 });
    h.values.value = { title: 'bad' };
    await settle();
    expect(h.sent).toHaveLength(0);
    expect(h.autosave.status.value).toBe('invalid');
    expect(readLocalCopy<Form>('test', 'hongqi-kx', 'a1')?.values.title).toBe('bad');
    h.stop();
  });

  it('restores an unsaved copy on opening the page, over the server’s values, and saves it on the version it was made on', async () => {
    // Prepare: a first page typed and was closed offline
    const first = await harness({ values: { title: '原标题' }, version: 3 });
    first.answers.push(new OfflineError());
    first.values.value = { title: '离线时输入的标题' };
    await settle();
    first.stop();
    await settle();
    // Act: the page opens again; the server still has version 3
    const again = await harness({ values: { title: '原标题' }, version: 3 });
    await settle();
    // Assess
    expect(again.autosave.restoredAt.value).toBeDefined();
    expect(again.values.value.title).toBe('离线时输入的标题');
    expect(again.sent.at(-1)).toMatchObject({ values: { title: '离线时输入的标题' }, version: 3 });
    expect(again.autosave.status.value).toBe('saved');
    again.stop();
  });

  it('loads their version after a 412 when asked, and forgets the local copy', async () => {
    const h = await harness({ values: { title: '我的' }, version: 3 });
    h.answers.push(new ApiError(412, {}));
    h.values.value = { title: '我的修改' };
    await settle();
    await h.autosave.resolveConflict('theirs');
    expect(h.values.value.title).toBe('theirs');
    expect(h.autosave.status.value).toBe('saved');
    expect(readLocalCopy('test', 'hongqi-kx', 'a1')).toBeUndefined();
    h.stop();
  });

  it('leaves an unsaved copy to the open tab that holds it: a second tab shows the server’s values and sends nothing; once that tab is closed, the copy is restored', async () => {
    // Prepare: a first tab typed offline and stays open
    const first = await harness({ values: { title: '原标题' }, version: 3 });
    first.answers.push(new OfflineError());
    first.values.value = { title: '第一个标签页的修改' };
    await settle();
    expect(first.autosave.status.value).toBe('offline');
    // Act: the same record opens in a second tab
    const second = await harness({ values: { title: '原标题' }, version: 3 });
    await settle();
    // Assess
    expect(second.autosave.restoredAt.value).toBeUndefined();
    expect(second.values.value.title).toBe('原标题');
    expect(second.autosave.status.value).toBe('saved');
    expect(second.sent).toHaveLength(0);
    expect(readLocalCopy<Form>('test', 'hongqi-kx', 'a1')?.values.title).toBe('第一个标签页的修改');
    second.stop();
    // Act: the first tab is closed; the record opens again
    first.stop();
    await settle();
    const third = await harness({ values: { title: '原标题' }, version: 3 });
    await settle();
    // Assess
    expect(third.autosave.restoredAt.value).toBeDefined();
    expect(third.sent.at(-1)).toMatchObject({ values: { title: '第一个标签页的修改' }, version: 3 });
    third.stop();
  });

  it('saves nothing before the record is loaded', async () => {
    const values = ref<Form>({ title: '' });
    const sent: unknown[] = [];
    const scope = effectScope();
    const autosave = scope.run(() =>
      useAutosave<Form>({ form: 'test', orgId: 'hongqi-kx', id: ref('a1'), values, sendable: () => true, save: async (v) => (sent.push(v), { version: 2 }), reload: async () => ({ values: { title: '' } }), delayMs: 10 }),
    )!;
    scopes.push(scope);
    expect(autosave.status.value).toBe('loading');
    values.value = { title: '加载前' };
    await settle();
    await expect(autosave.flush()).resolves.toBe(false);
    expect(sent).toHaveLength(0);
    expect(readLocalCopy('test', 'hongqi-kx', 'a1')).toBeUndefined();
  });
});
