// kill -9 under load (issue 16): concurrent submitters on loopback (200 in `npm run load`, 40 in
// `npm test`, SCIDAY_KILL_SUBMITTERS=<n> for another size) each create an activity and
// submit it, every request with its own Idempotency-Key and retried as a client library retries
// (5xx and lost connections with backoff, 409 idempotency_in_progress after Retry-After), and the
// local runtime is killed with SIGKILL while requests are in flight. After the restart every
// request not yet answered 2xx is sent again with its own key until it is, then the tables and
// queues are read whole with clean SDK clients:
// - every request answered 2xx before the kill is stored;
// - a request that got no answer is stored once or not at all: each submitter has exactly one
//   activity, the one every 201 of its create named (before and after the kill), and its submit's
//   key answers 2xx (a replay, or a run that recognises the earlier submit);
// - nothing is half-written: every activity and flag has its audit entries (exactly one per
//   write), every activity's `openFlags` equals its open flag items;
// - every consumed queue drains, every dead-letter and failures queue is empty.
// Three rounds on the same data dir, each killed at another moment (mostly creates in flight,
// then a mix, then mostly submits); each round also checks that the earlier rounds' activities
// are exactly as they were. A line per round (what was answered, cut off, retried, stored) is
// printed at the end; KILL_UNDER_LOAD_REPORT=<file> writes every detail as JSON.
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pidAlive } from '../../infra/local/dynamodb-local';
import type { RuntimeInfo } from '../../infra/local/runtime';
import { topology } from '../../infra/topology';
import { xinxiang2021 } from '../../shared/campaigns/2021-xinxiang';
import { keys } from '../../shared/repositories/keys';
import { completeActivity, tokenFor } from '../helpers/api';
import { queueDepths, scanAll, type QueueDepth } from '../helpers/crash-audit';
import { spawnRuntime } from '../helpers/global-setup';
import { clientsFor, runtimeInfo } from '../helpers/runtime';

const CAMPAIGN = '2021-xinxiang';
const SUBMITTERS = Number(process.env.SCIDAY_KILL_SUBMITTERS ?? 40);
/** Each round's kill comes after this share of the 2xx answers a round needs (a create and a submit per submitter). */
const KILL_AFTER_2XX = [0.1, 0.5, 0.8].map((share) => Math.round(share * 2 * SUBMITTERS));
/** Every unit of the campaign; submitter i acts for unit i mod 130. */
const UNITS = xinxiang2021.organizations.map((o) => o.organizationId);
/** Should the kill threshold never be reached (every request refused), the kill comes anyway. */
const LOAD_DEADLINE_MS = 90_000;
/** How long the submitters may take to finish after the restart (an in-progress lock lasts the function's 10 s timeout). */
const RETRY_DEADLINE_MS = 120_000;
/** How many submitters finish at once after the restart. */
const RETRY_WIDTH = 40;
const REQUEST_TIMEOUT_MS = 30_000;

/**
 * The simulated clock: 2021-09-20, after the activities' start (a submit raises
 * `not-published-in-advance`, so every submit writes a flag with its counter) and before any
 * milestone or reminder (no sweep touches the activities). Each start is 15 minutes later than
 * the one before, so the clock never goes back across a restart.
 */
const clockAt = (start: number): string => new Date(Date.parse('2021-09-20T09:00:00+08:00') + start * 15 * 60_000).toISOString();

interface Answer {
  readonly status: number;
  readonly body: Record<string, unknown>;
  readonly replayed: boolean;
  readonly retryAfterSeconds: number;
}

/** One request (one Idempotency-Key) as its client saw it, over all its attempts. */
interface Request {
  readonly kind: 'create' | 'submit';
  readonly key: string;
  /** Attempts handed to fetch. */
  attempts: number;
  /** Every answer, in order; `afterKill` marks those from the restarted runtime. */
  readonly answers: Array<Answer & { afterKill: boolean }>;
  /** Its last attempt before the kill got no answer (cut off by the kill). */
  cutOff: boolean;
  /** The 2xx that ended it, if one did. */
  ok?: Answer & { afterKill: boolean };
  /** The last answer, when it was final but not 2xx (a 4xx). */
  refused?: Answer;
}

interface Submitter {
  readonly round: number;
  readonly sub: string;
  readonly token: string;
  readonly create: Request;
  readonly submit: Request;
  /** The activity the create's 201 named. */
  activityId?: string;
}

interface RoundReport {
  round: number;
  killAfter2xx: number;
  /** At the kill: 2xx answers so far, requests in flight, creates and submits ended 2xx. */
  atKill: { ok: number; inFlight: number; created: number; submitted: number };
  /** Every answer before the kill, by request kind and status (`+replayed` when Idempotent-Replayed). */
  beforeKill: Record<string, number>;
  /** Requests whose attempt in flight the kill cut off; submits not sent yet (their create unfinished). */
  cutOff: { creates: number; submits: number; submitsNotSent: number };
  restartSeconds: number;
  orphanJavaStopped: boolean;
  /** Every answer and connection error after the restart, as `beforeKill`. */
  afterRestart: Record<string, number>;
  seconds: { load: number; retries: number; check: number };
  activitiesInCampaign: number;
  submittersWithDuplicates: number;
  auditSeconds: number;
  queues: Record<string, number>;
  violations: string[];
}

const problemType = (a: Answer): string => String(a.body.type ?? '').split('/').pop() ?? '';
const label = (kind: string, a: Answer): string => `${kind} ${a.status}${problemType(a) ? ` ${problemType(a)}` : ''}${a.replayed ? ' replayed' : ''}`;

async function post(baseUrl: string, token: string, path: string, key: string, body?: unknown): Promise<Answer> {
  const res = await fetch(`${baseUrl}${path}`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'idempotency-key': key,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  // A body cut off by the kill is no answer: text() throws and the attempt counts as unanswered.
  const text = await res.text();
  let parsed: Record<string, unknown>;
  try {
    parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    parsed = { raw: text };
  }
  return {
    status: res.status,
    body: parsed,
    replayed: res.headers.get('idempotent-replayed') === 'true',
    retryAfterSeconds: Number(res.headers.get('retry-after') ?? 1) || 1,
  };
}

const createPath = `/v1/campaigns/${CAMPAIGN}/activities`;
const submitPath = (activityId: string) => `/v1/activities/${activityId}/submit`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const count = (into: Record<string, number>, key: string) => (into[key] = (into[key] ?? 0) + 1);
const seconds = (since: number) => Math.round((performance.now() - since) / 100) / 10;

/** Work queues some function consumes: they must drain. The others (domain-events) only fill. */
const CONSUMED = new Set(
  Object.values(topology.functions).flatMap((fn) => fn.triggers.flatMap((t) => (t.kind === 'sqs' ? [t.queue as string] : []))),
);

interface Phase {
  readonly afterKill: boolean;
  /** Stop sending (the runtime was killed, or the deadline passed). */
  stopped(): boolean;
  /** Answers and errors seen in this phase, by label. */
  readonly seen: Record<string, number>;
  onSend?(): void;
  onSettled?(answered: Answer | undefined): void;
}

/**
 * Sends `req` with its key until it ends: a 2xx, or a 4xx other than 409 idempotency_in_progress
 * (which waits Retry-After). A 5xx or a lost connection is sent again after a backoff with jitter
 * (0.25 s, 0.5 s … 4 s), as a client library does, until the phase stops.
 */
async function sendUntilFinal(req: Request, send: () => Promise<Answer>, phase: Phase): Promise<void> {
  for (let attempt = 0; !req.ok && !req.refused && !phase.stopped(); attempt += 1) {
    req.attempts += 1;
    phase.onSend?.();
    let answer: Answer | undefined;
    try {
      answer = await send();
    } catch (error) {
      count(phase.seen, `${req.kind} no answer: ${String((error as Error).cause ?? error).slice(0, 60)}`);
    }
    // An answer the client received counts even if the kill came while it was on its way.
    if (answer) {
      req.answers.push({ ...answer, afterKill: phase.afterKill });
      count(phase.seen, label(req.kind, answer));
      if (answer.status < 300) req.ok = { ...answer, afterKill: phase.afterKill };
      else if (answer.status < 500 && !(answer.status === 409 && problemType(answer) === 'idempotency_in_progress')) req.refused = answer;
    }
    if (!phase.afterKill) req.cutOff = !answer;
    phase.onSettled?.(answer);
    if (req.ok || req.refused || phase.stopped()) break;
    const inProgress = answer?.status === 409;
    await sleep(inProgress && answer ? answer.retryAfterSeconds * 1000 : Math.min(4000, 250 * 2 ** attempt) * (0.5 + Math.random() / 2));
  }
}

/** A submitter's whole job: create, then submit the activity its create named. */
async function createAndSubmit(s: Submitter, url: string, phase: Phase): Promise<void> {
  await sendUntilFinal(s.create, () => post(url, s.token, createPath, s.create.key, completeActivity()), phase);
  if (s.create.ok?.status === 201) s.activityId ??= String(s.create.ok.body.activityId ?? '');
  const id = s.activityId;
  if (id) await sendUntilFinal(s.submit, () => post(url, s.token, submitPath(id), s.submit.key), phase);
}

describe(`Local runtime: kill -9 under load (${SUBMITTERS} concurrent submitters, three rounds)`, () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sciday-kill-load-'));
  const runtimes: ChildProcess[] = [];
  const sdkClients: Array<{ destroy(): void }> = [];
  const submitters: Submitter[] = [];
  const reports: RoundReport[] = [];
  /** What each check saw of each activity, to prove a later round left the earlier ones alone. */
  let lastSnapshot = new Map<string, string>();
  let starts = 0;
  let runtime: ChildProcess | undefined;
  let info: RuntimeInfo;

  const start = async () => {
    const child = await spawnRuntime(dataDir, { SCIDAY_CLOCK: clockAt(starts++), SCIDAY_WEB_BUILD: 'never' });
    runtimes.push(child);
    runtime = child;
    info = runtimeInfo(dataDir);
    return child;
  };
  const clients = () => {
    const c = clientsFor(info);
    sdkClients.push(...Object.values(c));
    return c;
  };

  beforeAll(async () => {
    await start();
  }, 90_000);

  afterAll(async () => {
    for (const c of sdkClients) c.destroy();
    // The last runtime stops as Ctrl-C stops it; anything still running after that is killed.
    if (runtime && runtime.exitCode === null && runtime.signalCode === null) {
      const exited = new Promise((r) => runtime?.once('exit', r));
      runtime.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([exited, new Promise((r) => (timer = setTimeout(r, 15_000)))]);
      clearTimeout(timer);
    }
    for (const child of runtimes) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    try {
      const java = Number(readFileSync(join(dataDir, 'dynamodb-local.pid'), 'utf8'));
      if (java > 0 && pidAlive(java)) process.kill(java, 'SIGKILL');
    } catch {
      // No DynamoDB Local was started, or it is gone already.
    }
    rmSync(dataDir, { recursive: true, force: true });
    // One line per round; the violations themselves are in each round's failed expectation.
    const line = (r: RoundReport) => JSON.stringify({ ...r, violations: r.violations.length, firstViolations: r.violations.slice(0, 3) });
    if (reports.length > 0) console.info(`kill -9 under load:\n${reports.map(line).join('\n')}`);
    if (process.env.KILL_UNDER_LOAD_REPORT) writeFileSync(process.env.KILL_UNDER_LOAD_REPORT, JSON.stringify(reports, null, 1));
  }, 30_000);

  /** The submitters start at once; the runtime is killed after `killAfter2xx` 2xx answers. */
  async function loadAndKill(round: number, killAfter2xx: number, report: RoundReport): Promise<void> {
    const url = info.url;
    const request = (kind: Request['kind'], key: string): Request => ({ kind, key, attempts: 0, answers: [], cutOff: false });
    const mine = await Promise.all(
      Array.from({ length: SUBMITTERS }, async (_, i): Promise<Submitter> => {
        const sub = `load-r${round}-s${i}`;
        const token = await tokenFor(url, { sub, orgId: UNITS[i % UNITS.length] ?? '', roles: ['organizer'] });
        const tag = Math.random().toString(36).slice(2, 10);
        return { round, sub, token, create: request('create', `create-${sub}-${tag}`), submit: request('submit', `submit-${sub}-${tag}`) };
      }),
    );
    submitters.push(...mine);

    const victim = runtime as ChildProcess;
    const exited = new Promise<void>((r) => victim.once('exit', () => r()));
    let killed = false;
    let ok = 0;
    let inFlight = 0;
    const kill = () => {
      if (killed) return;
      killed = true;
      report.atKill = {
        ok,
        inFlight,
        created: mine.filter((s) => s.create.ok).length,
        submitted: mine.filter((s) => s.submit.ok).length,
      };
      victim.kill('SIGKILL');
    };
    const fallback = setTimeout(kill, LOAD_DEADLINE_MS);
    const phase: Phase = {
      afterKill: false,
      stopped: () => killed,
      seen: report.beforeKill,
      onSend: () => (inFlight += 1),
      onSettled: (answer) => {
        inFlight -= 1;
        if (answer && answer.status < 300 && !killed && ++ok >= killAfter2xx) kill();
      },
    };
    await Promise.all(mine.map((s) => createAndSubmit(s, url, phase)));
    clearTimeout(fallback);
    kill();
    await exited;
    for (const s of mine) {
      if (s.create.cutOff) report.cutOff.creates += 1;
      if (s.submit.cutOff) report.cutOff.submits += 1;
      if (s.submit.attempts === 0) report.cutOff.submitsNotSent += 1;
    }
  }

  /**
   * After the restart every submitter of the round finishes its job with its own keys; every tenth
   * also sends both its requests once more, which must answer as before (same activity, 2xx).
   */
  async function finishWithOwnKeys(round: number, report: RoundReport): Promise<void> {
    const url = info.url;
    const deadline = Date.now() + RETRY_DEADLINE_MS;
    const phase: Phase = { afterKill: true, stopped: () => Date.now() > deadline, seen: report.afterRestart };
    const queue = submitters.filter((s) => s.round === round);
    let next = 0;
    const finish = async (s: Submitter, index: number): Promise<void> => {
      await createAndSubmit(s, url, phase);
      if (index % 10 !== 0 || !s.activityId || !s.submit.ok) return;
      const id = s.activityId;
      const again = await post(url, s.token, createPath, s.create.key, completeActivity());
      count(report.afterRestart, `${label('create', again)} (sent again)`);
      if (again.status !== 201 || again.body.activityId !== id) {
        report.violations.push(`${s.sub}: its create sent again answered ${again.status} ${String(again.body.activityId ?? problemType(again))}, first ${id}`);
      }
      const resubmit = await post(url, s.token, submitPath(id), s.submit.key);
      count(report.afterRestart, `${label('submit', resubmit)} (sent again)`);
      if (resubmit.status !== 200) report.violations.push(`${s.sub}: its submit sent again answered ${resubmit.status} ${problemType(resubmit)}`);
    };
    const worker = async (): Promise<void> => {
      for (let i = next++; i < queue.length; i = next++) await finish(queue[i] as Submitter, i);
    };
    await Promise.all(Array.from({ length: RETRY_WIDTH }, worker));

    for (const s of queue) {
      for (const req of [s.create, s.submit]) {
        if (req.ok) continue;
        const last = req.answers.at(-1);
        const why = req.refused ? `was refused: ${label(req.kind, req.refused)} ${String(req.refused.body.detail ?? '')}` : `had no final answer within ${RETRY_DEADLINE_MS / 1000} s (last: ${last ? label(req.kind, last) : 'no answer'})`;
        if (req.kind === 'create' || s.activityId) report.violations.push(`${s.sub}: its ${req.kind} (${req.attempts} attempts${req.cutOff ? ', cut off by the kill' : ''}) ${why}`);
      }
      const named = new Set(s.create.answers.filter((a) => a.status === 201).map((a) => String(a.body.activityId)));
      if (named.size > 1) report.violations.push(`${s.sub}: its create's 201s named ${[...named].join(', ')}`);
    }
  }

  /**
   * What the tables hold: this round's submitters one by one, every activity's flags and audit
   * trail (waited for: the stream writes it), the queues, and that the activities of earlier
   * rounds are exactly as the previous check left them.
   */
  async function checkTables(report: RoundReport): Promise<void> {
    const { doc, sqs } = clients();
    const mainTable = info.resources.tables.main?.name ?? '';
    const auditTable = info.resources.tables.audit?.name ?? '';
    const v = report.violations;
    const group = <T extends Record<string, unknown>>(list: readonly T[], by: (x: T) => string) => {
      const m = new Map<string, T[]>();
      for (const x of list) m.set(by(x), [...(m.get(by(x)) ?? []), x]);
      return m;
    };
    const items = await scanAll(doc, mainTable);
    const activities = items.filter((i) => i.entity === 'Activity' && i.campaignId === CAMPAIGN);
    const flagsOf = group(
      items.filter((i) => i.entity === 'Flag' && String(i.pk).startsWith('ACT#')),
      (f) => String(f.pk),
    );
    const bySub = group(activities, (a) => String(a.createdBy));
    report.activitiesInCampaign = activities.length;
    const ours = new Set(submitters.filter((s) => s.round === report.round).map((s) => s.sub));
    const fresh = activities.filter((a) => !lastSnapshot.has(String(a.activityId)));

    // Stored once: each submitter of this round has exactly the activity its create answered with;
    // an activity new since the last check is one of theirs.
    for (const a of fresh) if (!ours.has(String(a.createdBy))) v.push(`new activity ${String(a.activityId)} by ${String(a.createdBy)}, not a submitter of this round`);
    for (const s of submitters.filter((x) => x.round === report.round)) {
      const own = bySub.get(s.sub) ?? [];
      if (own.length > 1) {
        report.submittersWithDuplicates += 1;
        v.push(`${s.sub} has ${own.length} activities (${own.map((a) => `${String(a.activityId)} ${String(a.status)}`).join(', ')}); its create answered ${s.activityId ?? 'nothing'}`);
      }
      const when = (r: Request) => (r.ok?.afterKill ? 'after the restart' : 'before the kill');
      if (s.create.ok && !own.some((a) => a.activityId === s.activityId)) {
        v.push(`${s.sub}: activity ${s.activityId ?? '?'} answered 201 ${when(s.create)} is not stored`);
      }
      const mine = own.find((x) => x.activityId === s.activityId);
      if (s.submit.ok && mine?.status !== 'registered') {
        v.push(`${s.sub}: its submit answered 200 ${when(s.submit)} but ${s.activityId ?? '?'} is ${String(mine?.status ?? 'not stored')}`);
      }
    }

    // No flag without its counter, and the rule's one flag per submit.
    for (const a of fresh) {
      const flags = flagsOf.get(String(a.pk)) ?? [];
      const open = flags.filter((f) => f.waived !== true).length;
      if (open !== Number(a.openFlags ?? 0)) v.push(`${String(a.activityId)}: openFlags ${Number(a.openFlags ?? 0)} but ${open} open flag items`);
      const expected = a.status === 'registered' ? 1 : 0;
      if (flags.length !== expected) v.push(`${String(a.activityId)} (${String(a.status)}): ${flags.length} flag items, expected ${expected}`);
    }

    // No write without its audit entry, and none twice (a redelivered record writes nothing).
    const auditOf = async () => group(await scanAll(doc, auditTable), (e) => String(e.pk));
    const auditProblems = (trail: Map<string, Record<string, unknown>[]>): string[] =>
      fresh.flatMap((a) => {
        const own = trail.get(keys.auditTrail({ pk: String(a.pk), sk: String(a.sk) })) ?? [];
        const created = own.filter((e) => e.action === 'created').length;
        const submits = own.filter(
          (e) => e.action === 'updated' && (e.changes as Array<{ path: string; new?: unknown }> | undefined)?.some((c) => c.path === 'status' && c.new === 'registered'),
        ).length;
        const expected = a.status === 'registered' ? 2 : 1;
        return [
          ...(created !== 1 || submits !== expected - 1 || own.length !== expected
            ? [`${String(a.activityId)} (${String(a.status)}): ${own.length} audit entries (${created} created, ${submits} submitted), expected ${expected}`]
            : []),
          ...(flagsOf.get(String(a.pk)) ?? []).flatMap((f) => {
            const fe = trail.get(keys.auditTrail({ pk: String(f.pk), sk: String(f.sk) })) ?? [];
            return fe.length === 1 && fe[0]?.action === 'created' ? [] : [`flag ${String(f.sk)} of ${String(a.activityId)}: ${fe.length} audit entries`];
          }),
        ];
      });
    const auditStarted = performance.now();
    let trail = await auditOf();
    while (auditProblems(trail).length > 0 && performance.now() - auditStarted < 30_000) {
      await sleep(200); // each look scans the audit table whole: not much more often than this
      trail = await auditOf();
    }
    report.auditSeconds = Math.round((performance.now() - auditStarted) / 100) / 10;
    v.push(...auditProblems(trail));

    // Every queue drains; dead-letter and failures queues stay empty. domain-events has no consumer
    // here (ADR 0010): it keeps at least one activity.submitted per registered activity.
    const registered = activities.filter((a) => a.status === 'registered').length;
    const queueProblems = (depths: QueueDepth[]): string[] =>
      depths.flatMap((q) => {
        const total = q.visible + q.inFlight;
        const spec = topology.queues[q.id as keyof typeof topology.queues] as { kind: string } | undefined;
        if (spec?.kind === 'work' && !CONSUMED.has(q.id)) {
          return total < registered ? [`${q.id} holds ${total} messages, fewer than the ${registered} registered activities`] : [];
        }
        return total > 0 ? [`${q.id} holds ${q.visible} messages (+${q.inFlight} in flight)`] : [];
      });
    const queuesStarted = performance.now();
    let depths = await queueDepths(sqs, info);
    while (queueProblems(depths).length > 0 && performance.now() - queuesStarted < 30_000) {
      await sleep(100);
      depths = await queueDepths(sqs, info);
    }
    report.queues = Object.fromEntries(depths.map((q) => [q.id, q.visible + q.inFlight]));
    v.push(...queueProblems(depths));

    // What earlier rounds left is unchanged by this one: same items, versions, flags, audit trails.
    const state = (a: Record<string, unknown>) =>
      `${String(a.createdBy)} ${String(a.status)} v${String(a.version)} openFlags ${Number(a.openFlags ?? 0)} flags ${(flagsOf.get(String(a.pk)) ?? []).length} audit ${(trail.get(keys.auditTrail({ pk: String(a.pk), sk: String(a.sk) })) ?? []).length}`;
    const snapshot = new Map(activities.map((a) => [String(a.activityId), state(a)]));
    for (const [id, before] of lastSnapshot) {
      const now = snapshot.get(id);
      if (now !== before) v.push(`activity ${id} of an earlier round changed: ${before} → ${now ?? 'gone'}`);
    }
    lastSnapshot = snapshot;
  }

  for (const [index, killAfter2xx] of KILL_AFTER_2XX.entries()) {
    const round = index + 1;
    it(`round ${round}: kill -9 after ${killAfter2xx} 2xx answers, restart, finish with the same keys: stored once, whole, queues drained`, async () => {
      const report: RoundReport = {
        round,
        killAfter2xx,
        atKill: { ok: 0, inFlight: 0, created: 0, submitted: 0 },
        beforeKill: {},
        cutOff: { creates: 0, submits: 0, submitsNotSent: 0 },
        restartSeconds: 0,
        orphanJavaStopped: false,
        afterRestart: {},
        seconds: { load: 0, retries: 0, check: 0 },
        activitiesInCampaign: 0,
        submittersWithDuplicates: 0,
        auditSeconds: 0,
        queues: {},
        violations: [],
      };
      reports.push(report);
      expect(runtime?.exitCode).toBeNull();
      const javaPid = Number(readFileSync(join(dataDir, 'dynamodb-local.pid'), 'utf8'));

      let since = performance.now();
      await loadAndKill(round, killAfter2xx, report);
      report.seconds.load = seconds(since);
      // DynamoDB Local is a child of the killed runtime: it outlives it until the next start stops it.
      since = performance.now();
      await start();
      report.restartSeconds = seconds(since);
      report.orphanJavaStopped = !pidAlive(javaPid);
      since = performance.now();
      await finishWithOwnKeys(round, report);
      report.seconds.retries = seconds(since);
      since = performance.now();
      await checkTables(report);
      report.seconds.check = seconds(since);

      // The kill came in the middle (requests in flight, the threshold reached), the orphaned DynamoDB
      // Local was stopped by the restart, and every violation is counted, the first ones shown.
      expect({
        killedWithRequestsInFlight: report.atKill.inFlight > 0 && report.atKill.ok >= killAfter2xx,
        orphanJavaStopped: report.orphanJavaStopped,
        activitiesInCampaign: report.activitiesInCampaign,
        violations: report.violations.length,
        first: report.violations.slice(0, 20),
      }).toEqual({ killedWithRequestsInFlight: true, orphanJavaStopped: true, activitiesInCampaign: SUBMITTERS * round, violations: 0, first: [] });
    }, 360_000);
  }
});
