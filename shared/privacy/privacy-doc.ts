/**
 * docs/privacy.md, generated from the inventory (inventory.ts): every field marked `personal`,
 * what it holds, why, where it is stored, who can read it and for how long, under a short notice
 * in Chinese and English (ADR 0046). Who can read an answer's field comes from the contract: the
 * operations whose answer holds that schema, and their `who`. `npm run docs:privacy` writes it; a
 * unit test checks it is current.
 */
import type { Campaign } from '../domain/campaign';
import { PERSONAL_CATEGORIES, PERSONAL_PURPOSES, PERSONAL_RETENTIONS, type PersonalTag } from '../domain/privacy';
import { openApiDocument } from '../http/openapi/document';
import { inventory, type InventoryField } from './inventory';
import { NOT_PERSONAL } from './not-personal';
import { STORED_PERSONAL_ATTRIBUTES } from './stored-attributes';

type Json = Record<string, unknown>;

/** Where the document is written. */
export const PRIVACY_DOC_PATH = 'docs/privacy.md';
/** The campaign whose contract it reads (the fields are the same in every campaign; only enums differ). */
export const PRIVACY_DOC_CAMPAIGN = '2021-xinxiang';

const ACTIVITY = 'main: Activity (`ACT#<id>` / `A`), `fields.contact`; copies in the audit table when it changes';
const UNIT_SETTINGS = 'main: Unit settings (`CAMP#<c>#ORGSET` / `ORG#<org>`); copies in the audit table when they change';
const MEDIA = 'main: Media item (`…` / `MEDIA#<mediaId>`), `fileName`; the export’s `media` file';

const NOTICE = 'main: Privacy notice acknowledgement (`PERSON#<sub>` / `NOTICE#<version>`), `acknowledgedAt`';

/** Where what a source's marked fields hold is stored (a source with a mark and no entry fails the render). */
const STORED_IN: Record<string, string> = {
  'openapi:ActivityDraft': ACTIVITY,
  'openapi:ActivitySubmission': ACTIVITY,
  'openapi:ActivityPatch': ACTIVITY,
  'openapi:Activity': ACTIVITY,
  'openapi:UploadRequest': MEDIA,
  'openapi:SummaryUploadRequest': MEDIA,
  'openapi:Media': MEDIA,
  'openapi:Organization': 'main: Unit added at run time (`CAMP#<c>#ORGS` / `ORG#<org>`), `contact`',
  'openapi:AddedOrganizations': 'main: Unit added at run time (`CAMP#<c>#ORGS` / `ORG#<org>`), `contact`',
  'openapi:OrganizationSettings': UNIT_SETTINGS,
  'openapi:OrganizationSettingsView': UNIT_SETTINGS,
  'openapi:ActivityHistory': 'audit (`AUDIT#<item pk>#<item sk>`), `actor` and `changes`',
  'openapi:Flag': 'main: Flag, `waivedBy`',
  'openapi:UnitStatus': 'main: Flag, `waivedBy`',
  'openapi:ExtensionView': 'main: Extension, `grantedBy`',
  'openapi:Export': 'main: Export job, `requestedBy`',
  'openapi:ExportListItem': 'main: Export job, `requestedBy`',
  'openapi:ReviewView': 'main: Review of a unit, `reviewedBy`',
  'openapi:StoredCampaign': 'main: Campaign definition, `createdBy` / `updatedBy`',
  'openapi:PrivacyNotice': NOTICE,
  'openapi:NoticeAcknowledgementView': NOTICE,
  'message:DomainEvent': 'the domain-events queue (SQS), until handled',
  'message:Notification': 'the notifications queue (SQS), until delivered',
  'export:media': 'the export files of `media` (Parquet, CSV) in the exports bucket, with the export',
};

/** The `**Who:**` of an operation's description. */
const whoOf = (op: Json): string => /^\*\*Who:\*\* (.*?)\.(?:\n|$)/.exec(String(op.description ?? ''))?.[1] ?? '?';

/** Component names a schema refers to, directly or through others. */
function refsOf(node: unknown, schemas: Record<string, unknown>, seen = new Set<string>()): Set<string> {
  if (Array.isArray(node)) node.forEach((n) => refsOf(n, schemas, seen));
  else if (typeof node === 'object' && node !== null) {
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string') {
        const name = value.replace('#/components/schemas/', '');
        if (!seen.has(name)) {
          seen.add(name);
          refsOf(schemas[name], schemas, seen);
        }
      } else refsOf(value, schemas, seen);
    }
  }
  return seen;
}

/** For each component: the operations that answer it (`read`) or take it (`sent`), with their `who`. */
function operationsBySchema(campaign: Campaign): Map<string, { read: string[]; sent: string[] }> {
  const doc = openApiDocument(campaign) as { paths: Record<string, Record<string, Json>>; components: { schemas: Record<string, unknown> } };
  const schemas = doc.components.schemas;
  const out = new Map<string, { read: string[]; sent: string[] }>();
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      const line = `\`${method.toUpperCase()} ${path}\` (${whoOf(op)})`;
      const ok = Object.entries((op.responses ?? {}) as Json).filter(([status]) => status.startsWith('2'));
      for (const name of refsOf(ok.map(([, r]) => r), schemas)) {
        const e = out.get(name) ?? { read: [], sent: [] };
        e.read.push(line);
        out.set(name, e);
      }
      for (const name of refsOf([op.requestBody, op['x-validates']], schemas)) {
        const e = out.get(name) ?? { read: [], sent: [] };
        e.sent.push(line);
        out.set(name, e);
      }
    }
  }
  return out;
}

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const tagCells = (t: PersonalTag): string[] => [`[${t.category}](#${t.category})`, `[${t.purpose}](#${t.purpose})`];

function vocabulary(): string[] {
  const table = (title: string, words: Record<string, { zh: string; en: string }>) => [
    `### ${title}`,
    '',
    '| word | 中文 | English |',
    '|---|---|---|',
    ...Object.entries(words).map(([k, w]) => `| <a id="${k}"></a>\`${k}\` | ${cell(w.zh)} | ${cell(w.en)} |`),
    '',
  ];
  return [
    ...table('What it holds · 信息类别', PERSONAL_CATEGORIES),
    ...table('Why · 处理目的', PERSONAL_PURPOSES),
    ...table('How long · 保存期限', PERSONAL_RETENTIONS),
  ];
}

const INTRO = [
  '# 个人信息清单 · Personal information inventory',
  '',
  '<!-- Generated by `npm run docs:privacy` from the `personal` marks in the schemas (shared/privacy/); do not edit. -->',
  '',
  '## 说明',
  '',
  '- **个人信息处理者**：举办活动季的市科学技术协会（如新乡市科协），负责全国科普日活动的组织、报送与评价。',
  '- **处理依据**：《个人信息保护法》第十三条第一款第（二）项（报送人员代表所在单位履行报送工作所必需）' +
    '及第（七）项（法律、行政法规规定的其他情形），以实际适用者为准。只处理报送工作所需的最少信息：' +
    '联系人姓名、电话、电子邮箱，以及谁在何时修改了什么（账号标识 sub，不含姓名）。',
  '- **查阅与删除**：本人可通过 `GET /v1/me/data` 下载系统中与自己有关的信息；删除或假名化由管理员按申请办理' +
    '（`POST /v1/people/{sub}/erasure`）。请联系所在城市的科协。',
  '- **保存期限**：一般为活动季的保存期限，期满后删除或假名化；各字段见下表。',
  '- **日志**：姓名、电话、电子邮箱和 webhook 网址从不写入日志（由测试检查）；日志中只可能出现假名化的账号标识 sub（ADR 0046）。',
  '- 隐私告知的版本与确认记录：`GET /v1/me/privacy-notice`、`PUT /v1/me/privacy-notice`。',
  '',
  '## About',
  '',
  '- **Controller**: the city association for science and technology that runs the campaign (e.g. Xinxiang’s), which organises, collects and scores the campaign’s activities.',
  '- **Legal basis**: PIPL art. 13 para. 1 item (2) (needed for the reporting the person does for their unit as part of their work) and item (7) (other cases laws and administrative regulations provide), as the case applies. Only what reporting needs is kept: a contact’s name, phone and e-mail, and who changed what when (the account’s pseudonymous `sub`, no name).',
  '- **Access and erasure**: a person downloads what the system holds about them with `GET /v1/me/data`; an admin erases or pseudonymises it on request (`POST /v1/people/{sub}/erasure`). Ask the city association.',
  '- **How long**: the campaign’s retention period, then purged or pseudonymised; per field below.',
  '- **Logs**: names, phone numbers, e-mail addresses and webhook URLs are never logged (a test checks it); logs may carry the pseudonymous `sub` only (ADR 0046).',
  '- The privacy notice’s version and a person’s acknowledgement: `GET /v1/me/privacy-notice`, `PUT /v1/me/privacy-notice`.',
  '',
];

/** docs/privacy.md for `campaign`'s contract (the fields do not depend on the campaign, only enums do). */
export function renderPrivacyDoc(campaign: Campaign): string {
  const fields = inventory(campaign);
  const marked = fields.filter((f): f is InventoryField & { tag: PersonalTag } => f.tag !== undefined);
  const ops = operationsBySchema(campaign);
  const storedIn = (source: string): string => {
    const where = STORED_IN[source];
    if (!where) throw new Error(`${source} has personal fields: say where they are stored (STORED_IN in shared/privacy/privacy-doc.ts)`);
    return where;
  };
  const section = (prefix: string, title: string, readers: (f: InventoryField) => string) => {
    const rows = marked.filter((f) => f.source.startsWith(prefix));
    return [
      `## ${title}`,
      '',
      '| schema | field | what | why | stored in | who can read (or send) it, within the campaign’s city (ADR 0024) | how long |',
      '|---|---|---|---|---|---|---|',
      ...rows.map((f) =>
        [f.source.slice(prefix.length), `\`${f.path}\``, ...tagCells(f.tag), storedIn(f.source), readers(f), `[${f.tag.retention}](#${f.tag.retention})`]
          .map(cell)
          .join(' | ')
          .replace(/^/, '| ')
          .concat(' |'),
      ),
      '',
    ];
  };
  const contractReaders = (f: InventoryField): string => {
    const e = ops.get(f.source.slice('openapi:'.length));
    if (!e) return 'no operation';
    return [...(e.read.length ? [`read: ${e.read.join('; ')}`] : []), ...(e.sent.length ? [`sent: ${e.sent.join('; ')}`] : [])].join('. ');
  };
  const reviewed = Object.values(NOT_PERSONAL).reduce((n, paths) => n + paths.length, 0);
  return [
    ...INTRO,
    '## Vocabulary · 词汇',
    '',
    ...vocabulary(),
    ...section('openapi:', 'In the API (requests and answers) · 接口中', contractReaders),
    ...section('message:', 'In queue messages · 队列消息中', () => 'the function that consumes the queue; nobody through the API'),
    ...section('export:', 'In export files · 导出文件中', () => 'whoever may download the export: admin, analyst (ADR 0033)'),
    '## In stored items · 存储的数据项',
    '',
    'Attributes the server writes itself (no request schema declares them), and personal information in keys.',
    '',
    '| item | attribute | what | why | who can read it | how long |',
    '|---|---|---|---|---|---|',
    ...STORED_PERSONAL_ATTRIBUTES.map((a) =>
      `| ${[a.item, a.attribute.includes('`') ? a.attribute : `\`${a.attribute}\``, ...tagCells(a.tag), a.readers, `[${a.tag.retention}](#${a.tag.retention})`].map(cell).join(' | ')} |`,
    ),
    '',
    '## Logs · 日志',
    '',
    'Never: no handler logs a body, a stored item or an answer; problems echo field paths and codes, not values. `test/integration/no-personal-data-in-logs.test.ts` runs a whole flow with distinctive values and searches every log line for them.',
    '',
    '## Everything else · 其余字段',
    '',
    `${reviewed} more fields of the API, the messages and the exports were reviewed as holding no personal information (\`shared/privacy/not-personal.ts\`); a new field fails \`test/unit/privacy/inventory.test.ts\` until it is marked or listed there.`,
    '',
  ].join('\n');
}
