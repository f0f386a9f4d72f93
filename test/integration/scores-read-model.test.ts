// The scores read model (ADR 0038) against the recomputation (ADR 0015), over random histories,
// on DynamoDB Local: each history's items are written to a main table in the repositories' shapes,
// its changes projected in random batches (some delivered twice, as a stream retry does), and then
//   the scores from the read model == the scores recomputed from every item,
// and again after the read model is thrown away and rebuilt from the table.
import fc from 'fast-check';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { S3Client } from '@aws-sdk/client-s3';
import { DeleteCommand, DynamoDBDocumentClient, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { provision } from '../../infra/local/provision';
import { topology } from '../../infra/topology';
import { campaignCatalog } from '../../shared/campaigns/catalog';
import { findCampaign } from '../../shared/campaigns/index';
import type { Campaign } from '../../shared/domain/campaign';
import type { ActivityRecord } from '../../shared/domain/activity';
import { DynamoDbExportSource } from '../../shared/export/readers';
import { flagItem } from '../../shared/repositories/activity-repository';
import { keys } from '../../shared/repositories/keys';
import { DynamoDbActivityItems, DynamoDbActivityPartitions, DynamoDbProgressStore, DynamoDbSubjectItems } from '../../shared/repositories/progress-repository';
import { reviewItem } from '../../shared/repositories/review-repository';
import { projectProgress, type SequencedChange } from '../../shared/use-cases/project-progress';
import { rebuildProgress } from '../../shared/use-cases/rebuild-progress';
import { recomputeScores, scoresFromReadModel, type ScoreReport } from '../../shared/use-cases/scores';
import { activityItems } from '../bench/local-dynamo';
import { runtimeInfo, uniqueId } from '../helpers/runtime';

jest.setTimeout(300_000);

const info = runtimeInfo();
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
const raw = new DynamoDBClient({ region: info.region, endpoint: info.endpoints.dynamodb, credentials });
const doc = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false } });
const campaign = findCampaign('2021-xinxiang') as Campaign;
const C = campaign.id;
const UNITS = campaign.organizations.slice(0, 3).map((o) => o.organizationId);
const DEADLINE = campaign.milestones.registration.deadline.getTime();
const LINKS = ['https://news.example.cn/1', 'https://news.example.cn/2', 'https://news.example.cn/3'];
const PARTNERS = ['科协', ' 科协', '教育局', 'ＡＢＣ', 'abc'];
const FLAG_CODES = ['registration-late', 'results-late', 'summary-missing', 'registration-overdue'] as const;

let tables: { main: string; progress: string };

beforeAll(async () => {
  const stage = uniqueId('srm').replace(/[^a-z0-9]/g, '').slice(0, 16);
  const clients = { dynamodb: raw, sqs: new SQSClient({ region: info.region, credentials }), s3: new S3Client({ region: info.region, credentials }) };
  const { stream: _stream, ...main } = topology.tables.main;
  const resources = await provision({ ...topology, tables: { main, progress: topology.tables.progress }, queues: {}, buckets: {} }, stage, clients);
  tables = { main: resources.tables.main?.name ?? '', progress: resources.tables.progress?.name ?? '' };
});

afterAll(() => raw.destroy());

/** One step of a history (indices pick among what exists; out of range picks nothing). */
type Step =
  | { op: 'create'; unit: number; county: number; joint: boolean; format: 'offline' | 'online' | 'hybrid'; partners: number[]; volunteers: [number, number]; expected: number }
  | { op: 'submit'; a: number; late: boolean }
  | { op: 'complete'; a: number }
  | { op: 'edit'; a: number; county: number; partners: number[] }
  | { op: 'results'; a: number; actual: number | null; links: number[]; onlineUrl: boolean }
  | { op: 'media'; a: number; kind: 'photo' | 'video' | 'document'; status: 'accepted' | 'rejected' | 'pending' }
  | { op: 'unmedia'; m: number }
  | { op: 'delete'; a: number }
  | { op: 'flag'; unit: number; a: number | null; code: number; waived: boolean }
  | { op: 'waive'; f: number }
  | { op: 'extend'; unit: number; a: number | null; hours: number }
  | { op: 'review'; unit: number; score: number; marks: number[] }
  | { op: 'summary'; unit: number };

const idx = (n: number) => fc.nat({ max: n });
const create: fc.Arbitrary<Step> = fc.record({ op: fc.constant('create' as const), unit: idx(2), county: idx(3), joint: fc.boolean(), format: fc.constantFrom('offline' as const, 'online' as const, 'hybrid' as const), partners: fc.uniqueArray(idx(4), { maxLength: 3 }), volunteers: fc.tuple(fc.nat({ max: 20 }), fc.nat({ max: 40 }).map((h) => h / 2)), expected: fc.nat({ max: 500 }) });
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 3, arbitrary: create },
  { weight: 4, arbitrary: fc.record({ op: fc.constant('submit' as const), a: idx(9), late: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('complete' as const), a: idx(9) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('edit' as const), a: idx(9), county: idx(3), partners: fc.uniqueArray(idx(4), { maxLength: 3 }) }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('results' as const), a: idx(9), actual: fc.option(fc.nat({ max: 800 })), links: fc.uniqueArray(idx(2), { maxLength: 3 }), onlineUrl: fc.boolean() }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('media' as const), a: idx(9), kind: fc.constantFrom('photo' as const, 'video' as const, 'document' as const), status: fc.constantFrom('accepted' as const, 'rejected' as const, 'pending' as const) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('unmedia' as const), m: idx(9) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('delete' as const), a: idx(9) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('flag' as const), unit: idx(2), a: fc.option(idx(9)), code: idx(3), waived: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('waive' as const), f: idx(9) }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('extend' as const), unit: idx(2), a: fc.option(idx(9)), hours: fc.integer({ min: -5, max: 60 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('review' as const), unit: idx(2), score: fc.nat({ max: 100 }), marks: fc.uniqueArray(idx(9), { maxLength: 2 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('summary' as const), unit: idx(2) }) },
);

const iso = (ms: number) => new Date(ms).toISOString();
type Item = Record<string, unknown>;

/** Plays a history against the main table; answers its changes as a stream would carry them. */
async function play(steps: readonly Step[]): Promise<SequencedChange[]> {
  const changes: SequencedChange[] = [];
  const current = new Map<string, Item>();
  let seq = 1000;
  const write = async (item: Item | undefined, key: { pk: string; sk: string }) => {
    const id = `${key.pk}\n${key.sk}`;
    const oldImage = current.get(id);
    if (item) await doc.send(new PutCommand({ TableName: tables.main, Item: item }));
    else await doc.send(new DeleteCommand({ TableName: tables.main, Key: key }));
    if (item) current.set(id, item);
    else current.delete(id);
    seq += 1;
    changes.push({ eventId: `e${seq}`, keys: key, ...(item ? { newImage: item } : {}), ...(oldImage ? { oldImage } : {}), sequenceNumber: String(seq) } as SequencedChange);
  };
  const activities: ActivityRecord[] = [];
  const media: Array<{ key: { pk: string; sk: string } }> = [];
  const flags: Item[] = [];
  const put = async (record: ActivityRecord) => {
    const [item] = await activityItems([record]);
    await write(item, keys.activity(record.activityId));
  };
  for (const [n, s] of steps.entries()) {
    const at = iso(DEADLINE - 86_400_000 * 5 + n * 60_000);
    // Indices pick among what exists (modulo its length).
    const a = 'a' in s && s.a !== null && activities.length > 0 ? activities[s.a % activities.length] : undefined;
    switch (s.op) {
      case 'create': {
        const record: ActivityRecord = {
          activityId: `act-${n}`,
          campaignId: C,
          organizationId: UNITS[s.unit] as string,
          status: 'draft',
          version: 1,
          createdAt: at,
          createdBy: 'u',
          updatedAt: at,
          updatedBy: 'u',
          fields: {
            title: `活动 ${n}`,
            kind: s.joint ? 'joint-action' : 'main-venue',
            ...(s.joint ? { jointAction: campaign.jointActions[n % 3]?.id } : {}),
            format: s.format,
            county: campaign.counties[s.county]?.id,
            coOrganizers: s.partners.map((p) => PARTNERS[p] as string),
            volunteers: { count: s.volunteers[0], hours: s.volunteers[1] },
            expectedParticipants: s.expected,
            ...(s.format !== 'offline' && n % 2 ? { onlineUrl: `https://live.example.cn/${n}` } : {}),
          },
        } as ActivityRecord;
        activities.push(record);
        await put(record);
        break;
      }
      case 'submit':
      case 'complete':
      case 'edit':
        if (!a) break;
        {
          const next = {
            ...a,
            version: a.version + 1,
            updatedAt: at,
            ...(s.op === 'submit' ? { status: 'registered' as const, submittedAt: iso(DEADLINE + (s.late ? 3_600_000 * (1 + (n % 40)) : -3_600_000)) } : {}),
            ...(s.op === 'complete' && a.status !== 'draft' ? { status: 'completed' as const, completedAt: at } : {}),
            ...(s.op === 'edit' ? { fields: { ...a.fields, county: campaign.counties[s.county]?.id, coOrganizers: s.partners.map((p) => PARTNERS[p] as string) } } : {}),
          } as ActivityRecord;
          activities[activities.indexOf(a)] = next;
          await put(next);
        }
        break;
      case 'results':
        if (!a) break;
        await write(
          {
            ...keys.activityResults(a.activityId),
            ...keys.resultsIndex(C, a.activityId),
            entity: 'Results',
            activityId: a.activityId,
            campaignId: C,
            organizationId: a.organizationId,
            version: n,
            ...(s.actual !== null ? { actualParticipants: s.actual } : {}),
            newsLinks: s.links.map((l) => LINKS[l]),
            ...(s.onlineUrl ? { onlineUrl: `https://replay.example.cn/${n}` } : {}),
            updatedAt: at,
          },
          keys.activityResults(a.activityId),
        );
        break;
      case 'media':
        if (!a) break;
        {
          const key = keys.mediaOfActivity(a.activityId, `m-${n}`);
          media.push({ key });
          await write(
            { ...key, ...keys.mediaIndex(C, at, `m-${n}`), entity: 'Media', mediaId: `m-${n}`, subject: { type: 'activity', campaignId: C, organizationId: a.organizationId, activityId: a.activityId }, kind: s.kind, status: s.status, createdAt: at },
            key,
          );
        }
        break;
      case 'unmedia': {
        const m = media.length > 0 ? media.splice(s.m % media.length, 1)[0] : undefined;
        if (m) await write(undefined, m.key);
        break;
      }
      case 'delete':
        if (a) await write(undefined, keys.activity(a.activityId));
        break;
      case 'flag': {
        const code = FLAG_CODES[s.code] as string;
        const subject = a ? { activityId: a.activityId, organizationId: a.organizationId } : { organizationId: UNITS[s.unit] as string };
        const key = a ? keys.activityFlag(a.activityId, 'registration', code) : { pk: `CAMP#${C}#UNIT#${subject.organizationId}`, sk: `FLAG#registration#${code}` };
        // One flag per (code, subject, milestone), its id fixed with its key, as the flagger stores it.
        const item = flagItem(key, { flagId: `f-${a?.activityId ?? subject.organizationId}-${code}`, campaignId: C, ...subject, code, milestone: 'registration', raisedAt: at, waived: s.waived } as never);
        flags.push(item);
        await write(item, key);
        break;
      }
      case 'waive': {
        const f = flags.length > 0 ? flags[s.f % flags.length] : undefined;
        if (f) {
          const waived = { ...f, waived: true, waivedReason: '核实' };
          flags[s.f % flags.length] = waived;
          await write(waived, { pk: String(f.pk), sk: String(f.sk) });
        }
        break;
      }
      case 'extend': {
        const organizationId = a?.organizationId ?? (UNITS[s.unit] as string);
        const key = keys.extension(C, organizationId, at, `x-${n}`);
        await write(
          { ...key, ...keys.extensionIndex(C, organizationId, at, `x-${n}`), entity: 'Extension', campaignId: C, organizationId, ...(a ? { activityId: a.activityId } : {}), milestone: 'registration', until: iso(DEADLINE + s.hours * 3_600_000), reason: '延期', grantedAt: at },
          key,
        );
        break;
      }
      case 'review': {
        const organizationId = UNITS[s.unit] as string;
        // Marks on the unit's own activities, and now and then on another's (which must not count).
        const marks = s.marks.map((i) => activities[i % Math.max(1, activities.length)]?.activityId).filter((x): x is string => x !== undefined);
        const item = reviewItem({
          campaignId: C,
          organizationId,
          version: n,
          scores: { mobilization: s.score, publicity: 100 - s.score, highlights: s.score, volunteering: 50, online: 60 },
          distinctiveActivityIds: marks,
          reviewedBy: 'r',
          reviewedAt: at,
          firstReviewedAt: at,
          updatedBy: 'r',
          updatedAt: at,
        } as never);
        await write(item, keys.review(C, organizationId));
        break;
      }
      case 'summary': {
        const organizationId = UNITS[s.unit] as string;
        const key = keys.summary(C, organizationId);
        await write({ ...key, gsi2pk: keys.summariesOfCampaign(C), gsi2sk: organizationId, entity: 'Summary', campaignId: C, organizationId, version: 1, text: '总结', submittedAt: at, updatedAt: at }, key);
        break;
      }
    }
  }
  return changes;
}

const main = () => ({ client: doc, tableName: tables.main });
const store = () => new DynamoDbProgressStore({ client: doc, tableName: tables.progress });
const partitions = () => new DynamoDbActivityPartitions(main());
const scoring = () => ({ activityPartition: (id: string) => partitions().read(id), registrationDeadline: async () => campaign.milestones.registration.deadline });

/** What both ways must agree on: every unit's figures, indicators, totals and ranks, and the commendations. */
const comparable = (r: ScoreReport) => ({ scores: r.scores, commendations: r.commendations, units: [...r.units.values()], reviewed: [...r.reviewed].sort() });

async function fromModel(): Promise<ScoreReport> {
  return scoresFromReadModel(campaign, { model: store(), source: new DynamoDbExportSource(main()), activities: new DynamoDbActivityItems(main()) });
}

async function wipe(tableName: string): Promise<void> {
  for (let start: Item | undefined, first = true; first || start; first = false) {
    const page = await doc.send(new ScanCommand({ TableName: tableName, ProjectionExpression: 'pk, sk', ...(start ? { ExclusiveStartKey: start } : {}) }));
    await Promise.all((page.Items ?? []).map((k) => doc.send(new DeleteCommand({ TableName: tableName, Key: { pk: k.pk, sk: k.sk } }))));
    start = page.LastEvaluatedKey;
  }
}

describe('Scores read model (ADR 0038)', () => {
  it('equals the recomputation over random histories, batched and redelivered, and again once rebuilt from the table', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(create, { minLength: 3, maxLength: 8 }), fc.array(step, { minLength: 5, maxLength: 45 }), fc.array(fc.integer({ min: 1, max: 12 }), { minLength: 1, maxLength: 8 }), fc.boolean(), async (creates, rest, cuts, redeliver) => {
        const steps = [...creates, ...rest];
        await Promise.all([wipe(tables.main), wipe(tables.progress)]);
        const changes = await play(steps);
        // The stream's batches (sizes cycled from `cuts`), the odd one delivered again after the next.
        const batches: SequencedChange[][] = [];
        for (let i = 0, k = 0; i < changes.length; k += 1) {
          const size = cuts[k % cuts.length] as number;
          batches.push(changes.slice(i, i + size));
          i += size;
        }
        for (const [i, batch] of batches.entries()) {
          const outcome = await projectProgress(batch, { progress: store(), scoring: scoring() });
          expect(outcome.failed.size).toBe(0);
          if (redeliver && i % 2 === 1) await projectProgress(batches[i - 1] as SequencedChange[], { progress: store(), scoring: scoring() });
        }
        const recomputed = comparable(await recomputeScores(campaign, new DynamoDbExportSource(main())));
        expect(comparable(await fromModel())).toEqual(recomputed);

        // Thrown away and rebuilt from the table alone.
        await wipe(tables.progress);
        await rebuildProgress(
          { campaignId: C },
          { campaigns: campaignCatalog, source: new DynamoDbExportSource(main()), subjects: new DynamoDbSubjectItems(main()), progress: store(), partitions: partitions() },
        );
        expect(comparable(await fromModel())).toEqual(recomputed);
      }),
      // 12 histories in `npm test` (about 2.5 s each on the CI machine); `npm run load` runs 100.
      { numRuns: Number(process.env.SCORES_PROPERTY_RUNS ?? 12), seed: Number(process.env.SCORES_PROPERTY_SEED ?? 20261203), endOnFailure: true },
    );
  });
});
