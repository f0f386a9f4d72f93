/**
 * Every field the system declares, found where it is declared, with its personal-information mark
 * if it has one (ADR 0046): the contract's request and response schemas (the OpenAPI components,
 * converted from the zod schemas, whose `z.meta(field, personal(…))` survives the conversion as a
 * `personal` keyword), the queue messages (events/schemas), the export columns and the stored-only
 * attributes (stored-attributes.ts). docs/privacy.md lists the marked ones; the inventory test
 * requires every unmarked one to be reviewed (not-personal.ts).
 */
import * as z from '../domain/zod';
import type { Campaign } from '../domain/campaign';
import type { PersonalTag } from '../domain/privacy';
import { EXPORT_TABLES } from '../export/columns';
import { componentSchemas } from '../http/openapi/components';
import { DomainEventV1 } from '../../events/schemas/domain-events.v1';
import { ExportRequestV1Schema } from '../../events/schemas/export-request.v1';
import { NotificationSchema } from '../../events/schemas/notification.v1';
import { S3NotificationSchema } from '../../events/schemas/s3-event-notification';
import { ScheduledJobSchema } from '../../events/schemas/scheduled-job.v1';
import { SweepMessageSchema } from '../../events/schemas/sweep-message.v1';
import { STORED_PERSONAL_ATTRIBUTES } from './stored-attributes';

type Json = Record<string, unknown>;

/** One declared field: where (`source`), which (`path`, `a.b`, `list[]`, `map.*`; `$` for a component that is one value), and its mark. */
export interface InventoryField {
  /** `openapi:<component>`, `message:<name>`, `export:<table>` or `stored:<item>`. */
  readonly source: string;
  readonly path: string;
  readonly tag?: PersonalTag;
}

/** The queue messages, by name. */
export const MESSAGE_SCHEMAS: Record<string, z.ZodMiniType> = {
  DomainEvent: DomainEventV1,
  ExportRequest: ExportRequestV1Schema,
  Notification: NotificationSchema,
  S3Notification: S3NotificationSchema,
  ScheduledJob: ScheduledJobSchema,
  SweepMessage: SweepMessageSchema,
};

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The leaf fields of a JSON Schema: a marked node is a leaf (its insides are what the mark says),
 * an object with properties is a container, a `$ref` is the referenced component's business.
 */
function leaves(node: unknown, path: string, out: Map<string, PersonalTag | undefined>): void {
  // A `$ref` is walked as its own component; `null` is only the "remove it" of a PATCH field.
  if (!isObject(node) || typeof node.$ref === 'string' || node.type === 'null') return;
  if (isObject(node.personal)) {
    out.set(path, node.personal as unknown as PersonalTag);
    return;
  }
  let container = false;
  for (const key of ['anyOf', 'oneOf', 'allOf'] as const) {
    const branches = node[key];
    if (Array.isArray(branches)) {
      container = true;
      for (const b of branches) leaves(b, path, out);
    }
  }
  if (isObject(node.properties)) {
    container = true;
    for (const [key, child] of Object.entries(node.properties)) leaves(child, path ? `${path}.${key}` : key, out);
  }
  if (isObject(node.additionalProperties) && Object.keys(node.additionalProperties).length > 0) {
    container = true;
    leaves(node.additionalProperties, `${path}.*`, out);
  }
  if (node.items !== undefined) {
    container = true;
    leaves(node.items, `${path}[]`, out);
  }
  // A component that is a single value (`NextCursor`) is one field, `$`.
  if (!container && !out.get(path || '$')) out.set(path || '$', undefined);
}

function fieldsOf(source: string, schema: Json): InventoryField[] {
  const out = new Map<string, PersonalTag | undefined>();
  leaves(schema, '', out);
  return [...out].map(([path, tag]) => ({ source, path, ...(tag ? { tag } : {}) }));
}

/** Every field of `campaign`'s contract, messages, exports and stored-only attributes. */
export function inventory(campaign: Campaign): InventoryField[] {
  const contract = Object.entries(componentSchemas(campaign, { personalMarks: true })).flatMap(([name, schema]) => fieldsOf(`openapi:${name}`, schema));
  const messages = Object.entries(MESSAGE_SCHEMAS).flatMap(([name, schema]) =>
    fieldsOf(`message:${name}`, z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Json),
  );
  const exports = Object.values(EXPORT_TABLES).flatMap((table) =>
    table.columns.map((c) => ({ source: `export:${table.entity}`, path: c.name, ...(c.personal ? { tag: c.personal } : {}) })),
  );
  const stored = STORED_PERSONAL_ATTRIBUTES.map((a) => ({ source: `stored:${a.item}`, path: a.attribute, tag: a.tag }));
  return [...contract, ...messages, ...exports, ...stored];
}
