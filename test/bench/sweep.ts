/**
 * The milestone sweep over many activities: DynamoDB commands proportional to the due
 * entries, never a Scan, and flags/s against bare UpdateItem throughput in the same run.
 *
 * - Set-up (once per scale, not the measure): DynamoDB Local (its own temp data dir, on tmpfs
 *   where there is one) with the main table created by provisioning (infra/local/provision.ts:
 *   key schema, its three indexes, TTL; not its stream, see createMainTable), one table per
 *   scale. N activities of 2021-xinxiang spread evenly over its 130 definition units, in the
 *   shape DynamoDbActivityRepository.create writes them (its own items, captured, then written
 *   25 at a time with BatchWriteItem). Per unit, of every 10 activities: 3 drafts created before
 *   the registration deadline (due), 6 registered and completed in time (not in the due index),
 *   1 registered in time and not completed (due).
 * - Measured: sweepUnit for every unit, 10 units at a time (a sweep-unit Lambda batch, whose
 *   records Powertools processes in parallel), at 2021-09-25T00:00:01+08:00 (1 s after the
 *   registration deadline), with the repositories the handler uses on a DynamoDB client whose
 *   middleware counts the commands by name. Every draft earns `registration-overdue`: one
 *   TransactWriteItems (flag Put + activity Update) each. Once per scale, the same sweep again
 *   at the same clock: it raises nothing (every flag's transaction is refused).
 * - Baseline: as many bare UpdateItem calls as flags raised (ADD a counter on the same activity
 *   items with the same condition as the flag's Update half), 10 units at a time and 25 per unit
 *   at a time as sweepUnit writes its flags, on the same kind of client. The ratio (sweep time /
 *   baseline time) is UpdateItem/s ÷ flags/s: > 1× is expected, each flag being a two-item
 *   transaction after the unit's reads.
 * - Proportionality: the same at N/10 activities (same mix, its own table): commands per due
 *   entry at both scales, and the marginal commands per due entry between them (what the
 *   completed, not-due activities must not change). The per-unit reads (2 Queries) weigh more
 *   at N/10, where a unit has ~31 due entries instead of ~308.
 * - Once per scale, last (it changes the data): the completion sweep at 2021-10-23T00:00:01+08:00
 *   (results-missing on the registered ones, summary-missing per unit, every due entry settled)
 *   and its rerun (the due index is empty: a few commands per unit).
 *
 * Any Scan, a wrong count of due entries or flags, or a rerun that raises anything fails the
 * bench (it throws: non-zero exit). Between measured runs the flags raised are deleted (untimed)
 * so that every run raises them anew.
 *
 * BENCH_SWEEP_ACTIVITIES (default 100,000, at least 13,000) sets N; BENCH_RUNS (default 5) the
 * measured runs per scale (sweep and baseline alternate which goes first).
 * Alone: `npx node --import tsx --disable-warning=ExperimentalWarning test/bench/sweep.ts`.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { startDynamoDbLocal } from '../../infra/local/dynamodb-local';
import { campaignCatalog } from '../../shared/campaigns/catalog';
import { findCampaign } from '../../shared/campaigns/index';
import type { ActivityRecord, FlagRecord } from '../../shared/domain/activity';
import { fixedClock } from '../../shared/domain/clock';
import { DynamoDbExtensionSource } from '../../shared/repositories/extension-repository';
import { keys } from '../../shared/repositories/keys';
import { DynamoDbOrganizationDirectory } from '../../shared/repositories/organization-repository';
import { DynamoDbSweepStore } from '../../shared/repositories/sweep-repository';
import { sweepUnit, type SweepDeps } from '../../shared/use-cases/sweep-unit';
import { completeActivity } from '../helpers/api';
import { envCount, median, progress, table, type Row } from './stats';
import { activityItems, batchWrite, countingClient, createMainTable, describeCounts as describe, freePort, pool } from './local-dynamo';

const CAMPAIGN_ID = '2021-xinxiang';
const REGISTRATION_SWEEP_AT = '2021-09-25T00:00:01+08:00';
const COMPLETION_SWEEP_AT = '2021-10-23T00:00:01+08:00';
/** Units swept at once: a sweep-unit Lambda batch (its SQS trigger's batchSize). */
const UNIT_CONCURRENCY = 10;
/** Writes per unit at once: sweepUnit's own pool. */
const PER_UNIT_CONCURRENCY = 25;
/** BatchWriteItem requests in flight while seeding. */
const SEED_CONCURRENCY = 8;
/** The campaign's definition units. */
const UNITS = findCampaign(CAMPAIGN_ID)?.organizations.length ?? 0;

type Kind = 'draft' | 'completed' | 'registered';

/** Of every 10 activities of a unit: 3 drafts, 6 registered and completed in time, 1 registered only. */
const kindAt = (i: number): Kind => (i % 10 < 3 ? 'draft' : i % 10 < 9 ? 'completed' : 'registered');

interface Seeded {
  readonly tableName: string;
  readonly units: readonly string[];
  readonly activities: number;
  /** Activity ids of each unit's drafts (what the registration sweep flags). */
  readonly draftsByUnit: ReadonlyMap<string, readonly string[]>;
  readonly drafts: number;
  readonly registered: number;
  /** Items written with a due-index key (gsi3): drafts + registered. */
  readonly due: number;
  readonly seedMs: number;
}



/**
 * The SDK's default HTTP handler (50 sockets, as the sweep-unit Lambda has: its batch of 10 units
 * runs in parallel on one client, so requests queue on the client there too), without its
 * warning that they do.
 */
const requestHandler = {
  logger: {
    debug: () => undefined,
    info: () => undefined,
    warn: (message: unknown) => {
      if (!String(message).includes('socket usage at capacity')) console.warn(message);
    },
    error: (message: unknown) => console.error(message),
  },
};


const total = (counts: ReadonlyMap<string, number>): number => [...counts.values()].reduce((s, n) => s + n, 0);
const scans = (counts: ReadonlyMap<string, number>): number => [...counts].filter(([k]) => k.startsWith('Scan')).reduce((s, [, n]) => s + n, 0);
const perSecond = (count: number, ms: number): number => (count * 1000) / ms;
const thousands = (n: number): string => (n >= 1000 && n % 1000 === 0 ? `${n / 1000}k` : n.toLocaleString('en-US'));




/** N activities over the campaign's definition units (evenly), in the mix above, written to a fresh table. */
async function seed(endpoint: string, count: number): Promise<Seeded> {
  const campaign = findCampaign(CAMPAIGN_ID);
  if (!campaign) throw new Error(`no campaign ${CAMPAIGN_ID}`);
  const units = campaign.organizations.map((o) => o.organizationId);
  const tableName = await createMainTable(endpoint, `bench-sweep-${count}`);
  const fields = completeActivity();
  const records: ActivityRecord[] = [];
  const draftsByUnit = new Map<string, string[]>(units.map((u) => [u, []]));
  const perKind: Record<Kind, number> = { draft: 0, completed: 0, registered: 0 };
  for (let n = 0; n < count; n += 1) {
    const u = n % units.length;
    const i = Math.floor(n / units.length);
    const organizationId = units[u] ?? '';
    const kind = kindAt(i);
    perKind[kind] += 1;
    const activityId = `bench-${count}-${u}-${i}`;
    if (kind === 'draft') draftsByUnit.get(organizationId)?.push(activityId);
    // Created from 2021-09-01 (UTC) on, a minute apart per unit: all before the registration
    // deadline (2021-09-24 end of day, +08:00); submitted 2 days later, completed 20 days later.
    const created = Date.UTC(2021, 8, 1) + i * 60_000 + u * 100;
    const at = (days: number) => new Date(created + days * 86_400_000).toISOString();
    records.push({
      activityId,
      campaignId: campaign.id,
      organizationId,
      status: kind,
      version: kind === 'draft' ? 1 : kind === 'registered' ? 2 : 3,
      createdAt: at(0),
      createdBy: 'u-bench-sweep',
      updatedAt: at(kind === 'completed' ? 20 : kind === 'registered' ? 2 : 0),
      updatedBy: 'u-bench-sweep',
      ...(kind === 'draft' ? {} : { submittedAt: at(2) }),
      ...(kind === 'completed' ? { completedAt: at(20) } : {}),
      fields: { ...fields, title: `${fields.title} ${u}-${i}` },
    });
  }
  const items = await activityItems(records);
  const due = items.filter((item) => typeof item.gsi3pk === 'string').length;
  if (due !== perKind.draft + perKind.registered) throw new Error(`${due} items in the due index, expected ${perKind.draft + perKind.registered}`);

  const seeder = countingClient(endpoint, { requestHandler });
  const started = performance.now();
  try {
    await batchWrite(seeder.doc, tableName, items.map((Item) => ({ PutRequest: { Item } })));
  } finally {
    seeder.destroy();
  }
  const seedMs = performance.now() - started;
  progress(
    `sweep: seeded ${count.toLocaleString('en-US')} activities (${perKind.draft} drafts, ${perKind.completed} completed, ${perKind.registered} registered) in ${(seedMs / 1000).toFixed(1)} s`,
  );
  return { tableName, units, activities: count, draftsByUnit, drafts: perKind.draft, registered: perKind.registered, due, seedMs };
}

interface SweepRun {
  readonly ms: number;
  readonly raised: FlagRecord[];
  readonly due: number;
  readonly settled: number;
  readonly commands: Map<string, number>;
}

/** sweepUnit over every unit, UNIT_CONCURRENCY at a time, with the handler's repositories on the counting client. */
async function sweepAll(client: ReturnType<typeof countingClient>, seeded: Seeded, at: string): Promise<SweepRun> {
  const table = { client: client.doc, tableName: seeded.tableName };
  const deps: SweepDeps = {
    campaigns: campaignCatalog,
    organizations: new DynamoDbOrganizationDirectory(table),
    store: new DynamoDbSweepStore(table),
    extensions: new DynamoDbExtensionSource(table),
    clock: fixedClock(at),
  };
  client.take();
  const raised: FlagRecord[] = [];
  let due = 0;
  let settled = 0;
  const started = performance.now();
  await pool(seeded.units, UNIT_CONCURRENCY, async (organizationId) => {
    const outcome = await sweepUnit({ campaignId: CAMPAIGN_ID, organizationId }, deps);
    raised.push(...outcome.raised);
    due += outcome.due;
    settled += outcome.settled;
  });
  const ms = performance.now() - started;
  const commands = client.take();
  const scanned = scans(commands);
  if (scanned > 0) throw new Error(`sweep at ${at} over ${seeded.activities} activities sent ${scanned} Scan commands: ${describe(commands)}`);
  return { ms, raised, due, settled, commands };
}

/** The baseline: one bare UpdateItem per draft (what the sweep flags), UNIT_CONCURRENCY units and PER_UNIT_CONCURRENCY per unit at a time. */
async function bareUpdates(client: ReturnType<typeof countingClient>, seeded: Seeded): Promise<{ ms: number; commands: Map<string, number> }> {
  client.take();
  const started = performance.now();
  await pool(seeded.units, UNIT_CONCURRENCY, async (organizationId) => {
    const ids = seeded.draftsByUnit.get(organizationId) ?? [];
    for (let i = 0; i < ids.length; i += PER_UNIT_CONCURRENCY) {
      await Promise.all(
        ids.slice(i, i + PER_UNIT_CONCURRENCY).map((activityId) =>
          client.doc.send(
            new UpdateCommand({
              TableName: seeded.tableName,
              Key: keys.activity(activityId),
              UpdateExpression: 'ADD benchCounter :one',
              ConditionExpression: 'attribute_exists(pk)',
              ExpressionAttributeValues: { ':one': 1 },
            }),
          ),
        ),
      );
    }
  });
  const ms = performance.now() - started;
  return { ms, commands: client.take() };
}

/** Deletes the flags a sweep raised (untimed), so the next run raises them anew. */
async function deleteFlags(client: ReturnType<typeof countingClient>, seeded: Seeded, flags: readonly FlagRecord[]): Promise<void> {
  const Key = (f: FlagRecord) =>
    f.activityId ? keys.activityFlag(f.activityId, f.milestone, f.code) : keys.organizationFlag(f.campaignId, f.organizationId, f.milestone, f.code);
  await batchWrite(client.doc, seeded.tableName, flags.map((f) => ({ DeleteRequest: { Key: Key(f) } })));
  client.take();
}

function check(condition: boolean, message: string): void {
  if (!condition) throw new Error(`sweep bench: ${message}`);
}

interface ScaleResult {
  readonly rows: Row[];
  readonly due: number;
  /** Median commands of the measured registration sweep. */
  readonly commands: number;
  readonly units: number;
  readonly completion?: { due: number; commands: number };
}

async function scaleRows(endpoint: string, count: number, runs: number, warmUp: boolean): Promise<ScaleResult> {
  const seeded = await seed(endpoint, count);
  const client = countingClient(endpoint, { requestHandler });
  const label = `sweep ${thousands(count)}`;
  try {
    if (warmUp) {
      const warm = await sweepAll(client, seeded, REGISTRATION_SWEEP_AT);
      await bareUpdates(client, seeded);
      await deleteFlags(client, seeded, warm.raised);
    }
    const sweepMs: number[] = [];
    const bareMs: number[] = [];
    const commandTotals: number[] = [];
    let first: SweepRun | undefined;
    let rerun: SweepRun | undefined;
    let bareCommands: Map<string, number> | undefined;
    for (let run = 0; run < runs; run += 1) {
      // Alternate which side goes first.
      if (run % 2 === 1) {
        const bare = await bareUpdates(client, seeded);
        bareMs.push(bare.ms);
        bareCommands = bare.commands;
      }
      const sweep = await sweepAll(client, seeded, REGISTRATION_SWEEP_AT);
      check(sweep.due === seeded.due, `${label}: the sweep read ${sweep.due} due entries, ${seeded.due} were seeded`);
      check(
        sweep.raised.length === seeded.drafts && sweep.raised.every((f) => f.code === 'registration-overdue'),
        `${label}: ${sweep.raised.length} flags raised (${[...new Set(sweep.raised.map((f) => f.code))].join(', ')}), expected ${seeded.drafts} registration-overdue`,
      );
      sweepMs.push(sweep.ms);
      commandTotals.push(total(sweep.commands));
      first ??= sweep;

      if (!rerun) {
        // Once: as long as the sweep (every flag's transaction is sent, and refused).
        rerun = await sweepAll(client, seeded, REGISTRATION_SWEEP_AT);
        check(rerun.raised.length === 0, `${label}: the rerun at the same clock raised ${rerun.raised.length} flags`);
      }

      if (run % 2 === 0) {
        const bare = await bareUpdates(client, seeded);
        bareMs.push(bare.ms);
        bareCommands = bare.commands;
      }
      if (run < runs - 1) await deleteFlags(client, seeded, sweep.raised);
      progress(`${label}: run ${run + 1}/${runs} done (sweep ${(sweep.ms / 1000).toFixed(1)} s, bare UpdateItem ${((bareMs.at(-1) ?? 0) / 1000).toFixed(1)} s)`);
    }
    if (!first || !rerun || !bareCommands) throw new Error('sweep bench: no run');
    const flags = first.raised.length;
    check(bareCommands.get('UpdateItem') === flags && total(bareCommands) === flags, `${label}: the baseline sent ${describe(bareCommands)}, not ${flags} UpdateItem`);

    // The completion sweep, once (it settles every due entry), then its rerun on the emptied due index.
    const completion = await sweepAll(client, seeded, COMPLETION_SWEEP_AT);
    const resultsMissing = completion.raised.filter((f) => f.code === 'results-missing').length;
    const summaryMissing = completion.raised.filter((f) => f.code === 'summary-missing').length;
    check(
      resultsMissing === seeded.registered && summaryMissing === seeded.units.length && completion.raised.length === resultsMissing + summaryMissing,
      `${label}: the completion sweep raised ${completion.raised.length} flags (${resultsMissing} results-missing, ${summaryMissing} summary-missing)`,
    );
    check(completion.due === seeded.due && completion.settled === seeded.due, `${label}: the completion sweep read ${completion.due} and settled ${completion.settled} of ${seeded.due}`);
    const completionRerun = await sweepAll(client, seeded, COMPLETION_SWEEP_AT);
    check(completionRerun.raised.length === 0 && completionRerun.due === 0, `${label}: the completion rerun raised ${completionRerun.raised.length} and read ${completionRerun.due} due`);
    progress(`${label}: completion sweep done (${(completion.ms / 1000).toFixed(1)} s)`);

    const commands = median(commandTotals);
    const base = `${label}: bare UpdateItem × ${flags.toLocaleString('en-US')} (ADD a counter on the flagged activities)`;
    const sweepName = `${label}: sweepUnit × ${seeded.units.length} units at registration + 1 s`;
    const sweepRate = sweepMs.map((ms) => perSecond(flags, ms));
    const bareRate = bareMs.map((ms) => perSecond(flags, ms));
    const unitCount = seeded.units.length;
    const rows: Row[] = [
      {
        name: `${label}: seeding (set-up, not a measure)`,
        unit: 'ms',
        samples: [seeded.seedMs],
        note: `${count.toLocaleString('en-US')} activities as DynamoDbActivityRepository.create writes them, BatchWriteItem × 25, ${SEED_CONCURRENCY} at a time; ${seeded.due.toLocaleString('en-US')} in the due index`,
        data: { activities: count, drafts: seeded.drafts, registered: seeded.registered, due: seeded.due },
      },
      {
        name: base,
        unit: 'ms',
        samples: bareMs,
        note: `median ${median(bareRate).toFixed(0)} UpdateItem/s; ${UNIT_CONCURRENCY} units × ${PER_UNIT_CONCURRENCY} at a time`,
        data: { updates: flags, updatesPerSecond: bareRate },
      },
      {
        name: sweepName,
        unit: 'ms',
        samples: sweepMs,
        baseline: base,
        note:
          `median ${median(sweepRate).toFixed(0)} flags/s (${flags.toLocaleString('en-US')} flags; each a TransactWriteItems of 2 items after the unit's reads, so > 1× is expected); ` +
          `${first.due.toLocaleString('en-US')} due entries read of ${count.toLocaleString('en-US')} activities; commands ${describe(first.commands)} = ${total(first.commands).toLocaleString('en-US')}, ` +
          `${(commands / first.due).toFixed(3)} per due entry (${((commands - 2 * unitCount) / first.due).toFixed(3)} without the 2 Queries per unit); Scan 0`,
        data: {
          activities: count,
          units: unitCount,
          due: first.due,
          flags,
          flagsPerSecond: sweepRate,
          commands: Object.fromEntries(first.commands),
          commandTotals,
          commandsPerDueEntry: commands / first.due,
          scans: 0,
        },
      },
      {
        name: `${label}: the same sweep again at the same clock (once)`,
        unit: 'ms',
        samples: [rerun.ms],
        baseline: sweepName,
        note: `0 flags raised; commands ${describe(rerun.commands)} = ${total(rerun.commands).toLocaleString('en-US')} (every flag's transaction sent and refused); Scan 0`,
        data: { due: rerun.due, commands: Object.fromEntries(rerun.commands) },
      },
      {
        name: `${label}: completion sweep at completion + 1 s (once)`,
        unit: 'ms',
        samples: [completion.ms],
        note:
          `${completion.raised.length.toLocaleString('en-US')} flags (${resultsMissing} results-missing, ${summaryMissing} summary-missing), ${completion.settled.toLocaleString('en-US')} settled; ` +
          `commands ${describe(completion.commands)} = ${total(completion.commands).toLocaleString('en-US')}, ${(total(completion.commands) / completion.due).toFixed(3)} per due entry; ` +
          `rerun on the emptied due index: ${describe(completionRerun.commands)} = ${total(completionRerun.commands)} (${(total(completionRerun.commands) / unitCount).toFixed(1)} per unit) in ${completionRerun.ms.toFixed(0)} ms; Scan 0`,
        data: {
          due: completion.due,
          flags: completion.raised.length,
          settled: completion.settled,
          commands: Object.fromEntries(completion.commands),
          rerunCommands: Object.fromEntries(completionRerun.commands),
          rerunMs: completionRerun.ms,
        },
      },
    ];
    return { rows, due: first.due, commands, units: unitCount, completion: { due: completion.due, commands: total(completion.commands) } };
  } finally {
    client.destroy();
  }
}

/** Both scales (N/10 first, which also warms DynamoDB Local up), in one DynamoDB Local. */
export async function sweepRows(work: string, runs: number, activities: number, options: { readonly smallScaleOnly?: boolean } = {}): Promise<Row[]> {
  const small = Math.round(activities / 10);
  // Every unit needs a full mix (its 10th activity is the first registered one) at both scales.
  if (small < 10 * UNITS) throw new Error(`BENCH_SWEEP_ACTIVITIES must be at least ${100 * UNITS} (10 activities per unit at N/10), not ${activities}`);
  // On tmpfs where there is one: DynamoDB Local's SQLite file on a shared disk measured the disk.
  const dataDir = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : work, 'sciday-bench-sweep-'));
  const ddb = await startDynamoDbLocal({ projectRoot: process.cwd(), dataDir, port: await freePort() });
  try {
    const low = await scaleRows(ddb.endpoint, small, runs, true);
    // A quick run (BENCH_QUICK) stops here: no proportionality between the scales.
    if (options.smallScaleOnly) return low.rows;
    const high = await scaleRows(ddb.endpoint, activities, runs, false);
    const per = (s: ScaleResult) => s.commands / s.due;
    const marginal = (high.commands - low.commands) / (high.due - low.due);
    const summary =
      `commands per due entry: ${per(low).toFixed(3)} at ${thousands(small)} activities (${low.due.toLocaleString('en-US')} due), ` +
      `${per(high).toFixed(3)} at ${thousands(activities)} (${high.due.toLocaleString('en-US')} due); marginal ${marginal.toFixed(3)} per due entry between them`;
    progress(`sweep: ${summary}`);
    const last = high.rows.findIndex((r) => r.name.includes('sweepUnit'));
    const row = high.rows[last];
    if (row) {
      high.rows[last] = {
        ...row,
        note: `${row.note ?? ''}; ${summary}`,
        data: {
          ...row.data,
          proportionality: {
            small: { activities: small, due: low.due, commands: low.commands, perDue: per(low) },
            large: { activities, due: high.due, commands: high.commands, perDue: per(high) },
            marginalPerDue: marginal,
          },
        },
      };
    }
    return [...low.rows, ...high.rows];
  } finally {
    await ddb.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

// Alone: just these rows.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const work = mkdtempSync(join(tmpdir(), 'sciday-bench-'));
  try {
    console.log(table(await sweepRows(work, envCount('BENCH_RUNS', 5), envCount('BENCH_SWEEP_ACTIVITIES', 100_000))));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  process.exit(0);
}
