/**
 * The routes only the one-machine runtime serves: the web app's `/config.json`, and `/local/…` to
 * sign a token (the local issuer), read and move the simulated clock, and list the campaigns'
 * one-time schedules with whether each fired.
 */
import type { IncomingMessage } from 'node:http';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { ROLES } from '../../shared/auth/principal';
import type { MovableClock } from '../../shared/clock';
import { loadClaimNames } from '../../shared/config';
import { campaignToOpen } from '../../shared/domain/campaign-to-open';
import { safeParseFields } from '../../shared/domain/issues';
import { SLUG_PATTERN } from '../../shared/domain/slug';
import { json } from '../../shared/http/middleware';
import { negotiateLanguage, problemResponse } from '../../shared/http/problem';
import { DynamoDbCampaignStore } from '../../shared/repositories/campaign-repository';
import { readLocalSchedules } from '../../shared/repositories/schedule-gateway-local';
import { id, isoInstant, text } from '../../shared/schemas/text';
import type { LocalRoute } from './gateway';
import type { LocalResources } from './provision';
import { campaignScheduleId, type LocalScheduler } from './scheduler';
import type { TokenIssuer } from './token-issuer';

const TokenRequestSchema = z.strictObject({
  sub: text({ min: 1, max: 256 }),
  orgId: id(),
  roles: z.array(z.enum(ROLES)).min(1),
  /** The city whose campaigns the roles apply to (ADR 0024); none: the home city. */
  city: z.string().regex(SLUG_PATTERN).optional(),
});
const ClockRequestSchema = z.strictObject({ now: isoInstant(), frozen: z.boolean().optional() });
const StreamsRequestSchema = z.strictObject({ paused: z.boolean() });

/** The stream readers of the runtime, paused and resumed together (where they stopped, nothing lost). */
export interface StreamReaders {
  pause(): Promise<void>;
  resume(): void;
  readonly paused: boolean;
}

const jsonBody = (body: Buffer): unknown => {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
};

/**
 * The campaign the web app opens, read at each request: the configured one, else the newest
 * published campaign of the home city (ADR 0023), so the sign-in page lists next year's units as
 * soon as it is published. The local mode has no token before sign-in to ask the API with.
 */
/** A dev route's JSON body against its schema, and the language its problems are in. */
function readBody<S extends z.ZodType>(schema: S, req: IncomingMessage, body: Buffer) {
  return { lang: negotiateLanguage(req.headers['accept-language']), parsed: safeParseFields(schema, jsonBody(body)) };
}

export function webCampaignOf(input: { readonly configured?: string; readonly dynamodb: DynamoDBClient; readonly resources: LocalResources }): () => Promise<string | undefined> {
  const main = input.resources.tables.main;
  const campaignStore = main ? new DynamoDbCampaignStore({ client: DynamoDBDocumentClient.from(input.dynamodb), tableName: main.name }) : undefined;
  const homeCity = loadClaimNames().homeCity;
  return async () => {
    if (input.configured) return input.configured;
    const mine = ((await campaignStore?.list()) ?? []).filter((c) => c.definition.cityId === homeCity && c.status !== 'draft');
    return campaignToOpen(mine.map((c) => c.campaign))?.id;
  };
}

export function devRoutes(input: {
  readonly webCampaignId: () => Promise<string | undefined>;
  /** Tokens live in wall-clock time: moving the simulated clock signs nobody out (ADR 0019). */
  readonly issuer: TokenIssuer;
  readonly clock: MovableClock;
  readonly scheduler: LocalScheduler;
  /** The campaigns' one-time schedules as project-changes keeps them. */
  readonly schedulesFile: string;
  readonly streams?: StreamReaders;
}): LocalRoute[] {
  const { issuer, clock, scheduler } = input;
  return [
    {
      method: 'GET',
      path: '/config.json',
      handle: async () => {
        const campaignId = await input.webCampaignId();
        return json(200, { mode: 'local', ...(campaignId ? { campaignId } : {}) }, { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' }) as never;
      },
    },
    {
      method: 'POST',
      path: '/local/token',
      handle: async (req, body) => {
        const { lang, parsed } = readBody(TokenRequestSchema, req, body);
        if (!parsed.success) return problemResponse(422, 'validation_failed', lang, { errors: parsed.issues });
        return json(200, { token: await issuer.sign(parsed.data) }) as never;
      },
    },
    { method: 'GET', path: '/local/clock', handle: async () => json(200, { now: clock.now().toISOString(), frozen: clock.frozen }) as never },
    {
      // The campaigns' one-time schedules as project-changes made them, each with whether it fired at its instant.
      method: 'GET',
      path: '/local/schedules',
      handle: async () =>
        json(200, {
          now: clock.now().toISOString(),
          schedules: readLocalSchedules(input.schedulesFile).map((s) => {
            const id = campaignScheduleId(s.target, s.name);
            return {
              id,
              group: s.group,
              name: s.name,
              functionId: s.target,
              at: s.at.toISOString(),
              wallTime: s.wallTime,
              timeZone: s.timeZone,
              input: s.input,
              fired: scheduler.hasFired(id, s.at),
            };
          }),
        }) as never,
    },
    {
      method: 'POST',
      path: '/local/clock',
      handle: async (req, body) => {
        const { lang, parsed } = readBody(ClockRequestSchema, req, body);
        if (!parsed.success) return problemResponse(422, 'validation_failed', lang, { errors: parsed.issues });
        const target = new Date(parsed.data.now);
        if (target.getTime() < clock.now().getTime()) {
          return problemResponse(409, 'conflict', lang, { detail: `The clock cannot move backwards (now ${clock.now().toISOString()})` });
        }
        // Moving the clock past schedules fires them in order, each once and each at its own time
        // (their queued work runs before the next), before answering.
        const fired = await scheduler.moveTo(target, { frozen: parsed.data.frozen ?? false });
        return json(200, { now: clock.now().toISOString(), frozen: clock.frozen, fired }) as never;
      },
    },
    {
      // Pauses or resumes the stream readers (the load run measures the request path alone with them
      // paused, as on AWS, where they run on capacity of their own: docs/load.md). Checkpoints stay.
      method: 'POST',
      path: '/local/streams',
      handle: async (req, body) => {
        const { lang, parsed } = readBody(StreamsRequestSchema, req, body);
        if (!parsed.success) return problemResponse(422, 'validation_failed', lang, { errors: parsed.issues });
        if (!input.streams) return problemResponse(404, 'not_found', lang, { detail: 'this runtime has no stream readers' });
        if (parsed.data.paused) await input.streams.pause();
        else input.streams.resume();
        return json(200, { paused: input.streams.paused }) as never;
      },
    },
  ];
}
