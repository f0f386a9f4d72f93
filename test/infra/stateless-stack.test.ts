import { Match } from 'aws-cdk-lib/assertions';
import { CLAIM_ENV } from '../../infra/stacks/stateless-stack';
import { CURSOR_KEY_ENV, PSEUDONYM_KEY_ENV, WEBHOOK_KEY_ENV } from '../../shared/config';
import { campaignScheduleTargets } from '../../infra/schedules';
import { scheduleTargetArnEnv, scheduleTargetDlqEnv } from '../../shared/repositories/schedule-gateway';
import { httpRoutes, topology, VISIBILITY_TIMEOUT_FACTOR, type TableAccess } from '../../infra/topology';
import { envName } from '../../shared/env-names';
import {
  actionsOf,
  allowStatementsOfRole,
  buildTestApp,
  importedLogicalId,
  logicalIdOf,
  type BuiltApp,
} from '../helpers/infra-app';

const functionIds = Object.keys(topology.functions) as Array<keyof typeof topology.functions>;
const triggersOfKind = (kind: string) =>
  Object.values(topology.functions).flatMap((fn) => fn.triggers.filter((t) => t.kind === kind));

describe('Stack: Stateless', () => {
  let built: BuiltApp;
  beforeAll(() => {
    built = buildTestApp();
  });
  const fnResource = (id: string) =>
    built.statelessTemplate.toJSON().Resources[logicalIdOf(built.stateless.functions[id]!)];
  const roleOf = (id: string) => logicalIdOf(built.stateless.functions[id]!.role!);

  describe('functions', () => {
    it('creates one Lambda function per topology function', () => {
      built.statelessTemplate.resourceCountIs('AWS::Lambda::Function', functionIds.length);
      expect(Object.keys(built.stateless.functions).sort()).toEqual([...functionIds].sort());
    });

    it('runs every function on nodejs22.x, arm64, with active tracing', () => {
      built.statelessTemplate.allResourcesProperties('AWS::Lambda::Function', {
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        TracingConfig: { Mode: 'Active' },
        Handler: 'index.handler',
      });
    });

    it.each(functionIds)('gives %s the timeout, memory and environment of its topology entry', (id) => {
      // Prepare
      const spec = topology.functions[id];
      const bound = [
        ...Object.keys('tables' in spec ? spec.tables : {}).map(envName.table),
        ...Object.keys('queues' in spec ? spec.queues : {}).map(envName.queueUrl),
        ...Object.keys('buckets' in spec ? spec.buckets : {}).map(envName.bucket),
        ...(spec.triggers.some((t) => t.kind === 'http') ? [CLAIM_ENV.orgId, CLAIM_ENV.roles] : []),
        ...('tableCopies' in spec ? ['TABLE_COPY_MODE', 'TABLE_COPY_TABLE_ARN'] : []),
        ...('athenaExports' in spec ? ['ATHENA_EXPORT_WORKGROUP', 'ATHENA_EXPORT_DATABASE'] : []),
        ...('cursors' in spec ? [CURSOR_KEY_ENV.secretArn] : []),
        ...('pseudonyms' in spec ? [PSEUDONYM_KEY_ENV.secretArn] : []),
        ...('webhookKey' in spec ? [WEBHOOK_KEY_ENV.secretArn] : []),
        // The web app's origin, for share previews' links (the default app has a web stack).
        ...('webOrigin' in spec ? ['SCIDAY_WEB_ORIGIN'] : []),
        ...('manageSchedules' in spec
          ? [
              'SCHEDULER_ROLE_ARN',
              'SCHEDULE_GROUP_PREFIX',
              ...Object.values(campaignScheduleTargets(topology)).flatMap((t) => [scheduleTargetArnEnv(t.functionId), scheduleTargetDlqEnv(t.functionId)]),
            ]
          : []),
      ];
      // Act
      const props = fnResource(id).Properties;
      // Assess
      expect(props.Timeout).toBe(spec.timeoutSeconds);
      expect(props.MemorySize).toBe(spec.memoryMb);
      expect(Object.keys(props.Environment.Variables).sort()).toEqual(
        [
          'POWERTOOLS_SERVICE_NAME',
          'POWERTOOLS_METRICS_NAMESPACE',
          'POWERTOOLS_LOG_LEVEL',
          ...('maxHeapMb' in spec ? ['NODE_OPTIONS'] : []),
          'SCIDAY_STAGE',
          ...bound,
        ].sort(),
      );
      expect(props.Environment.Variables).toMatchObject({
        POWERTOOLS_SERVICE_NAME: 'sciday',
        POWERTOOLS_METRICS_NAMESPACE: 'SciDay',
        POWERTOOLS_LOG_LEVEL: 'INFO',
        // No --enable-source-maps: each bundle maps its own stacks when one is formatted (ADR 0052).
        ...('maxHeapMb' in spec ? { NODE_OPTIONS: `--max-old-space-size=${spec.maxHeapMb}` } : {}),
        SCIDAY_STAGE: 'dev',
      });
    });

    it.each(functionIds)('logs %s to its own log group kept one month', (id) => {
      const logGroup = fnResource(id).Properties.LoggingConfig.LogGroup as { Ref: string };
      const resource = built.statelessTemplate.toJSON().Resources[logGroup.Ref];
      expect(resource).toMatchObject({ Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 30 } });
    });

    it('attaches no AWS managed policy to any function role', () => {
      for (const id of functionIds) {
        const role = built.statelessTemplate.toJSON().Resources[roleOf(id)];
        expect(role.Properties.ManagedPolicyArns).toBeUndefined();
      }
    });
  });

  describe('IAM', () => {
    describe('the cursor key (ADR 0031)', () => {
      const paging = functionIds.filter((id) => 'cursors' in topology.functions[id]);
      // Statements on the cursor key (the pseudonym key is the stateful stack's, ADR 0047; the webhook key, ADR 0048, the stack's other secret: both tested below).
      const onCursorKey = (s: { Resource?: unknown }) => JSON.stringify(s.Resource) === JSON.stringify({ Ref: logicalIdOf(built.stateless.cursorKey!) });
      const secretActions = (id: string) =>
        allowStatementsOfRole(built.statelessTemplate, roleOf(id)).filter((s) => [s.Action].flat().some((a) => a.startsWith('secretsmanager:')) && onCursorKey(s));

      it('is one generated secret, never a value in the template', () => {
        built.statelessTemplate.resourceCountIs('AWS::SecretsManager::Secret', 2);
        built.statelessTemplate.hasResourceProperties('AWS::SecretsManager::Secret', {
          GenerateSecretString: { PasswordLength: 64, ExcludePunctuation: true },
          SecretString: Match.absent(),
        });
        expect(paging).toEqual(expect.arrayContaining(['list-activities', 'list-flags', 'list-extensions', 'get-inbox', 'list-exports', 'get-progress', 'get-unit-status']));
      });

      it.each(paging)('lets %s read that secret only (GetSecretValue, no other action), and names it by ARN', (id) => {
        // Prepare
        const secretId = logicalIdOf(built.stateless.cursorKey!);
        // Act
        const statements = secretActions(id);
        // Assess
        expect(statements).toEqual([expect.objectContaining({ Action: 'secretsmanager:GetSecretValue', Resource: { Ref: secretId } })]);
        expect(fnResource(id).Properties.Environment.Variables[CURSOR_KEY_ENV.secretArn]).toEqual({ Ref: secretId });
        expect(fnResource(id).Properties.Environment.Variables).not.toHaveProperty(CURSOR_KEY_ENV.value);
      });

      it('is out of reach of every function that does not page', () => {
        for (const id of functionIds.filter((f) => !paging.includes(f))) {
          expect([id, secretActions(id)]).toEqual([id, []]);
          expect(fnResource(id).Properties.Environment.Variables).not.toHaveProperty(CURSOR_KEY_ENV.secretArn);
        }
        // Nor anyone else in the stack (deployment helpers, the scheduler's roles).
        const everyStatement = Object.values(built.statelessTemplate.findResources('AWS::IAM::Policy')).flatMap(
          (p) => p.Properties.PolicyDocument.Statement as Array<{ Action: string | string[]; Resource?: unknown }>,
        );
        expect(everyStatement.filter((s) => [s.Action].flat().some((a) => a.startsWith('secretsmanager:')) && onCursorKey(s))).toHaveLength(paging.length);
      });
    });

    describe('the pseudonym key (ADR 0047)', () => {
      const hashing = functionIds.filter((id) => 'pseudonyms' in topology.functions[id]);
      const secretStatements = (id: string) =>
        allowStatementsOfRole(built.statelessTemplate, roleOf(id)).filter(
          (s) => [s.Action].flat().some((a) => a.startsWith('secretsmanager:')) && !JSON.stringify(s.Resource).includes('CursorKey') && !JSON.stringify(s.Resource).includes(logicalIdOf(built.stateless.webhookKey!.secret)),
        );

      it('is the stateful stack’s generated secret, read (GetSecretValue only) by the functions that hash personal data, no other', () => {
        built.statefulTemplate.hasResourceProperties('AWS::SecretsManager::Secret', { GenerateSecretString: { PasswordLength: 64, ExcludePunctuation: true }, SecretString: Match.absent() });
        expect(hashing.sort()).toEqual(['erase-person', 'purge-expired-data', 'record-changes']);
        for (const id of functionIds) {
          const statements = secretStatements(id);
          if (!hashing.includes(id)) {
            expect([id, statements]).toEqual([id, []]);
            continue;
          }
          expect(statements).toEqual([expect.objectContaining({ Action: 'secretsmanager:GetSecretValue' })]);
          expect(importedLogicalId(built.statefulTemplate, statements[0]!.Resource)).toBe(logicalIdOf(built.stateful.pseudonymKey!));
        }
        // Nor anyone else in the stack: every secretsmanager statement is one of the cursor key's or of these.
        const everyStatement = Object.values(built.statelessTemplate.findResources('AWS::IAM::Policy')).flatMap(
          (p) => p.Properties.PolicyDocument.Statement as Array<{ Action: string | string[] }>,
        );
        const paging = functionIds.filter((id) => 'cursors' in topology.functions[id]);
        const sealing = functionIds.filter((id) => 'webhookKey' in topology.functions[id]);
        expect(everyStatement.filter((s) => [s.Action].flat().some((a) => a.startsWith('secretsmanager:')))).toHaveLength(paging.length + hashing.length + sealing.length);
      });
    });

    describe('the webhook key (ADR 0048)', () => {
      const sealing = functionIds.filter((id) => 'webhookKey' in topology.functions[id]);
      const onWebhookKey = (id: string) => {
        const secretId = logicalIdOf(built.stateless.webhookKey!.secret);
        const kmsId = logicalIdOf(built.stateless.webhookKey!.kmsKey);
        return allowStatementsOfRole(built.statelessTemplate, roleOf(id)).filter((s) => JSON.stringify(s.Resource).includes(secretId) || JSON.stringify(s.Resource).includes(kmsId));
      };

      it('is a generated secret encrypted with a KMS key of the stack (rotated yearly), both kept when the stack goes', () => {
        const secretId = logicalIdOf(built.stateless.webhookKey!.secret);
        const kmsId = logicalIdOf(built.stateless.webhookKey!.kmsKey);
        const resources = built.statelessTemplate.toJSON().Resources;
        expect(resources[secretId]).toMatchObject({
          Type: 'AWS::SecretsManager::Secret',
          DeletionPolicy: 'Retain',
          Properties: { KmsKeyId: { 'Fn::GetAtt': [kmsId, 'Arn'] }, GenerateSecretString: { PasswordLength: 64 } },
        });
        expect(resources[secretId].Properties.SecretString).toBeUndefined();
        expect(resources[kmsId]).toMatchObject({ Type: 'AWS::KMS::Key', DeletionPolicy: 'Retain', Properties: { EnableKeyRotation: true } });
      });

      it('lets only update-organization (seals, shows to the unit\'s editors) and deliver-webhook (opens) read it: GetSecretValue, and Decrypt through Secrets Manager only', () => {
        expect(sealing.sort()).toEqual(['deliver-webhook', 'update-organization']);
        for (const id of sealing) {
          const statements = onWebhookKey(id);
          expect(statements.map((s) => s.Action).sort()).toEqual(['kms:Decrypt', 'secretsmanager:GetSecretValue']);
          expect(statements.find((s) => s.Action === 'kms:Decrypt')).toHaveProperty(['Condition', 'StringEquals', 'kms:ViaService']);
          expect(fnResource(id).Properties.Environment.Variables[WEBHOOK_KEY_ENV.secretArn]).toEqual({ Ref: logicalIdOf(built.stateless.webhookKey!.secret) });
        }
        for (const id of functionIds.filter((f) => !sealing.includes(f))) {
          expect([id, onWebhookKey(id)]).toEqual([id, []]);
          expect(fnResource(id).Properties.Environment.Variables).not.toHaveProperty(WEBHOOK_KEY_ENV.secretArn);
        }
      });
    });

    it('lets get-health describe its resources and nothing more', () => {
      // Act
      const actions = actionsOf(allowStatementsOfRole(built.statelessTemplate, roleOf('get-health')));
      // Assess
      expect(actions).toEqual([
        'dynamodb:DescribeTable',
        'logs:CreateLogStream',
        'logs:PutLogEvents',
        's3:ListBucket',
        'sqs:GetQueueAttributes',
        'sqs:GetQueueUrl',
        'xray:PutTelemetryRecords',
        'xray:PutTraceSegments',
      ]);
      for (const forbidden of ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:Scan', 's3:GetObject', 's3:PutObject', 'sqs:SendMessage', 'sqs:ReceiveMessage']) {
        expect(actions).not.toContain(forbidden);
      }
    });

    it('grants DescribeTable and ListBucket on the resources themselves, not their indexes or objects', () => {
      const statements = allowStatementsOfRole(built.statelessTemplate, roleOf('get-health'));
      for (const s of statements.filter((st) => /^(dynamodb|s3):/.test([st.Action].flat()[0]!))) {
        expect(JSON.stringify(s.Resource)).not.toMatch(/\/index\/|\/\*/);
      }
    });

    /** The media-bucket prefixes (`uploads`, `checked`, …) reached by `id`'s statements with an action starting with one of `actions`. */
    const mediaPrefixesOf = (id: string, actions: readonly string[]) => {
      const statements = allowStatementsOfRole(built.statelessTemplate, roleOf(id)).filter((s) =>
        [s.Action].flat().some((a) => actions.some((prefix) => a.startsWith(prefix))),
      );
      const objectResources = statements.flatMap((s) => [s.Resource].flat()).filter((r) => JSON.stringify(r).includes('/'));
      return [...new Set(objectResources.map((r) => /"\/([a-z]+)\/\*"/.exec(JSON.stringify(r))?.[1]))].sort();
    };

    it('lets check-media touch media objects under uploads/, originals/, checked/ and quarantine/ only', () => {
      // Prepare
      const statements = allowStatementsOfRole(built.statelessTemplate, roleOf('check-media'));
      const s3 = statements.filter((s) => [s.Action].flat().some((a) => a.startsWith('s3:')));
      // Assess: reads, and the copies + deletes that freezing and quarantine need, on those prefixes only.
      for (const action of ['s3:GetObject', 's3:PutObject', 's3:DeleteObject']) expect(actionsOf(s3).some((a) => a.startsWith(action))).toBe(true);
      expect(mediaPrefixesOf('check-media', ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'])).toEqual(['checked', 'originals', 'quarantine', 'uploads']);
    });

    it('lets no role but check-media read a photo\'s original (originals/): what is served is stripped (ADR 0048)', () => {
      const readers = functionIds.filter((id) => mediaPrefixesOf(id, ['s3:GetObject', 's3:PutObject', 's3:DeleteObject']).includes('originals'));
      expect(readers).toEqual(['check-media']);
    });

    it('keeps what the media check accepted (checked/) immutable to everyone else, and serves only it (ADR 0032)', () => {
      // Assess: check-media is the only writer of checked/; upload forms are signed by roles that write uploads/ only
      const writers = functionIds.filter((id) => mediaPrefixesOf(id, ['s3:PutObject', 's3:DeleteObject']).includes('checked'));
      expect(writers).toEqual(['check-media']);
      for (const id of ['create-upload', 'create-summary-upload']) expect(mediaPrefixesOf(id, ['s3:PutObject'])).toEqual(['uploads']);
      // ...and view URLs are signed by a role that reads checked/ only: a URL of an upload key would be refused by S3
      expect(mediaPrefixesOf('list-media', ['s3:GetObject'])).toEqual(['checked']);
    });

    it('lets run-export copy the main table by point-in-time export, poll only that table\'s exports, and write the copy under table-copies/ only', () => {
      // Prepare
      const statements = allowStatementsOfRole(built.statelessTemplate, roleOf('run-export'));
      const withAction = (action: string) => statements.filter((s) => [s.Action].flat().includes(action));
      const env = fnResource('run-export').Properties.Environment.Variables;
      // Assess: the export on the main table itself, nothing broader
      const start = withAction('dynamodb:ExportTableToPointInTime');
      expect(start).toHaveLength(1);
      expect(importedLogicalId(built.statefulTemplate, start[0]!.Resource)).toBe(logicalIdOf(built.stateful.tables.main!));
      expect(env.TABLE_COPY_MODE).toBe('point-in-time');
      expect(importedLogicalId(built.statefulTemplate, env.TABLE_COPY_TABLE_ARN)).toBe(logicalIdOf(built.stateful.tables.main!));
      // ...DescribeExport on <main table ARN>/export/*
      const poll = withAction('dynamodb:DescribeExport');
      expect(poll).toHaveLength(1);
      const pollResource = JSON.stringify(poll[0]!.Resource);
      expect(pollResource).toContain('/export/*');
      expect(pollResource).toContain(logicalIdOf(built.stateful.tables.main!).slice(0, 10));
      // ...and the copy's objects: the ACL write and the object grant on table-copies/ and campaign= only
      const acl = withAction('s3:PutObjectAcl');
      expect(acl).toHaveLength(1);
      expect(JSON.stringify(acl[0]!.Resource)).toContain('/table-copies/*');
      const objectPrefixes = statements
        .filter((s) => [s.Action].flat().some((a) => a.startsWith('s3:')))
        .flatMap((s) => [s.Resource].flat())
        .map((r) => /"\/([^"]+)\*"/.exec(JSON.stringify(r))?.[1])
        .filter((p): p is string => p !== undefined);
      // (export-queries/ is in the Athena results bucket, not the exports bucket: athena-exports.test.ts.)
      expect([...new Set(objectPrefixes)].sort()).toEqual(['campaign=', 'export-queries/', 'table-copies/']);
      // No other function may copy the table.
      for (const id of functionIds.filter((f) => f !== 'run-export')) {
        expect(actionsOf(allowStatementsOfRole(built.statelessTemplate, roleOf(id)))).not.toContain('dynamodb:ExportTableToPointInTime');
      }
    });

    it('lets record-changes write the audit table, send domain events, export jobs and failures, but not write the main table', () => {
      const statements = allowStatementsOfRole(built.statelessTemplate, roleOf('record-changes'));
      const writes = statements.filter((s) => [s.Action].flat().includes('dynamodb:PutItem'));
      expect(writes).toHaveLength(1);
      const target = importedLogicalId(built.statefulTemplate, writes[0]!.Resource);
      expect(target).toBe(logicalIdOf(built.stateful.tables.audit!));
      const sent = statements
        .filter((s) => [s.Action].flat().includes('sqs:SendMessage'))
        .flatMap((s) => [s.Resource].flat())
        .map((r) => importedLogicalId(built.statefulTemplate, r));
      expect(sent.sort()).toEqual(
        [built.stateful.queues['domain-events']!, built.stateful.queues.exports!, built.stateful.queues['stream-failures']!].map((q) => logicalIdOf(q.queue)).sort(),
      );
    });
  });

  describe('IAM follows the topology tables entries', () => {
    /** Actions that read data or metadata; anything else on a table is a write (or worse). */
    const READ_ONLY = /^dynamodb:(BatchGetItem|GetItem|Query|Scan|ConditionCheckItem|PartiQLSelect|GetRecords|GetShardIterator|DescribeTable|DescribeStream|ListStreams)$/;
    const WRITES = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];
    const tableIds = Object.keys(topology.tables);

    /** Topology table ids whose resources (imported from the stateful stack) a statement names. */
    const tablesNamedBy = (resource: unknown): string[] => {
      const imports: unknown[] = [];
      const walk = (node: unknown): void => {
        if (Array.isArray(node)) node.forEach(walk);
        else if (node && typeof node === 'object') {
          if ('Fn::ImportValue' in node) imports.push(node);
          else Object.values(node).forEach(walk);
        }
      };
      walk(resource);
      const logicalIds = new Set(imports.map((i) => importedLogicalId(built.statefulTemplate, i)));
      return tableIds.filter((id) => logicalIds.has(logicalIdOf(built.stateful.tables[id]!)));
    };
    const dynamoStatementsOf = (fnId: string) =>
      allowStatementsOfRole(built.statelessTemplate, roleOf(fnId)).filter((s) =>
        [s.Action].flat().some((a) => a.startsWith('dynamodb:')),
      );

    it.each(functionIds)('gives %s DynamoDB access only to the tables of its topology entry', (fnId) => {
      // Prepare
      const spec = topology.functions[fnId];
      const declared: Record<string, TableAccess> = { ...('tables' in spec ? spec.tables : {}) };
      const streamTables = spec.triggers.flatMap((t) => (t.kind === 'stream' ? [t.table] : []));
      // Act
      const named = dynamoStatementsOf(fnId).flatMap((s) => tablesNamedBy(s.Resource));
      // Assess
      for (const id of named) expect([...Object.keys(declared), ...streamTables]).toContain(id);
    });

    it.each(functionIds)('never lets %s write a table that the topology grants only read or describe', (fnId) => {
      // Prepare
      const spec = topology.functions[fnId];
      const declared: Record<string, TableAccess> = { ...('tables' in spec ? spec.tables : {}) };
      const readOnly = new Set(Object.keys(declared).filter((id) => declared[id] === 'read' || declared[id] === 'describe'));
      const writable = Object.keys(declared).filter((id) => !readOnly.has(id));
      // Act
      const statements = dynamoStatementsOf(fnId);
      // Assess: every DynamoDB action on a read-only table (or on "*") is a read
      for (const s of statements) {
        const tables = tablesNamedBy(s.Resource);
        if (tables.length > 0 && tables.every((id) => writable.includes(id))) continue;
        const actions = [s.Action].flat().filter((a) => a.startsWith('dynamodb:'));
        for (const action of actions) expect(action).toMatch(READ_ONLY);
      }
      // ...a function with no writable table has no write action at all
      if (writable.length === 0) {
        for (const write of WRITES) expect(actionsOf(statements)).not.toContain(write);
      }
      // ...and describe is metadata only
      for (const id of readOnly) {
        if (declared[id] !== 'describe') continue;
        const onTable = statements.filter((s) => tablesNamedBy(s.Resource).includes(id));
        expect(actionsOf(onTable)).toEqual(['dynamodb:DescribeTable']);
      }
    });

    it('lets project-changes write the progress table alone (the main table it only reads), and get-progress only read the progress table', () => {
      // Prepare
      const byTable = (fnId: string) => {
        const result: Record<string, string[]> = {};
        for (const s of dynamoStatementsOf(fnId)) {
          for (const id of tablesNamedBy(s.Resource)) result[id] = [...new Set([...(result[id] ?? []), ...[s.Action].flat()])].sort();
        }
        return result;
      };
      // Act
      const projector = byTable('project-changes');
      const reader = byTable('get-progress');
      // Assess
      expect(projector.progress).toEqual(expect.arrayContaining(['dynamodb:BatchGetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem']));
      // The campaigns, read for their schedules: reads only.
      expect(projector.main).toEqual(expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:Query']));
      for (const write of WRITES) expect(projector.main).not.toContain(write);
      expect(Object.keys(projector).sort()).toEqual(['main', 'progress']);
      // The read model, and (since campaigns are stored, ADR 0023) the campaign it answers for: reads only.
      expect(Object.keys(reader).sort()).toEqual(Object.keys(topology.functions['get-progress'].tables).sort());
      for (const actions of Object.values(reader)) for (const write of WRITES) expect(actions).not.toContain(write);
    });

    it('matches the examples: get-activity reads main; submit-activity reads and writes main and idempotency; create-activity only main (ADR 0049)', () => {
      // Prepare
      const byTable = (fnId: string) => {
        const result: Record<string, string[]> = {};
        for (const s of dynamoStatementsOf(fnId)) {
          for (const id of tablesNamedBy(s.Resource)) result[id] = [...new Set([...(result[id] ?? []), ...[s.Action].flat()])].sort();
        }
        return result;
      };
      // Act
      const getActivity = byTable('get-activity');
      const submitActivity = byTable('submit-activity');
      const createActivity = byTable('create-activity');
      // Assess
      expect(Object.keys(getActivity)).toEqual(['main']);
      expect(getActivity.main).toEqual(expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:Query']));
      for (const write of WRITES) expect(getActivity.main).not.toContain(write);
      expect(Object.keys(submitActivity).sort()).toEqual(['idempotency', 'main']);
      for (const id of ['main', 'idempotency']) {
        expect(submitActivity[id]).toEqual(expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem']));
      }
      expect(Object.keys(createActivity)).toEqual(['main']);
    });
  });

  describe('triggers', () => {
    it('routes every http trigger of the topology through the HTTP API', () => {
      // Prepare
      const routes = httpRoutes(topology);
      // Assess
      built.statelessTemplate.resourceCountIs('AWS::ApiGatewayV2::Route', routes.length);
      for (const route of routes) {
        built.statelessTemplate.hasResourceProperties('AWS::ApiGatewayV2::Route', {
          RouteKey: `${route.method} ${route.path}`,
        });
      }
    });

    it('reports batch item failures from every SQS and stream event source mapping', () => {
      const mappings = Object.values(built.statelessTemplate.findResources('AWS::Lambda::EventSourceMapping'));
      expect(mappings).toHaveLength(triggersOfKind('sqs').length + triggersOfKind('stream').length);
      for (const mapping of mappings) {
        expect(mapping.Properties.FunctionResponseTypes).toEqual(['ReportBatchItemFailures']);
      }
    });

    it('gives every queue a visibility timeout of at least 6 × its consumer function timeout', () => {
      // Prepare
      const queues = built.statefulTemplate.findResources('AWS::SQS::Queue');
      const sqsMappings = Object.values(built.statelessTemplate.findResources('AWS::Lambda::EventSourceMapping')).filter(
        (m) => queues[importedLogicalId(built.statefulTemplate, m.Properties.EventSourceArn)],
      );
      // Assess
      expect(sqsMappings).toHaveLength(triggersOfKind('sqs').length);
      for (const mapping of sqsMappings) {
        const queue = queues[importedLogicalId(built.statefulTemplate, mapping.Properties.EventSourceArn)]!;
        const fn = built.statelessTemplate.toJSON().Resources[mapping.Properties.FunctionName.Ref];
        expect(queue.Properties.VisibilityTimeout).toBeGreaterThanOrEqual(VISIBILITY_TIMEOUT_FACTOR * fn.Properties.Timeout);
      }
    });

    it('wires each sqs trigger with its batch size and batching window', () => {
      for (const [id, spec] of Object.entries(topology.functions)) {
        for (const t of spec.triggers) {
          if (t.kind !== 'sqs') continue;
          built.statelessTemplate.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
            FunctionName: { Ref: logicalIdOf(built.stateless.functions[id]!) },
            BatchSize: t.batchSize,
            // No window (0) is Lambda's default: the property is then left out.
            MaximumBatchingWindowInSeconds: t.maxBatchingWindowSeconds > 0 ? t.maxBatchingWindowSeconds : Match.absent(),
            FunctionResponseTypes: ['ReportBatchItemFailures'],
          });
        }
      }
    });

    it('sends records of a failing stream batch to the failures queue after bisecting and retrying', () => {
      for (const [id, spec] of Object.entries(topology.functions)) {
        for (const t of spec.triggers) {
          if (t.kind !== 'stream') continue;
          // Prepare
          const mapping = Object.values(built.statelessTemplate.findResources('AWS::Lambda::EventSourceMapping')).find(
            (m) => m.Properties.FunctionName.Ref === logicalIdOf(built.stateless.functions[id]!) && m.Properties.StartingPosition,
          )!;
          // Assess
          expect(mapping.Properties).toMatchObject({
            StartingPosition: 'TRIM_HORIZON',
            BatchSize: t.batchSize,
            MaximumBatchingWindowInSeconds: t.maxBatchingWindowSeconds,
            MaximumRetryAttempts: t.retryAttempts,
            BisectBatchOnFunctionError: true,
            FunctionResponseTypes: ['ReportBatchItemFailures'],
            DestinationConfig: { OnFailure: { Destination: expect.anything() } },
          });
          const destination = importedLogicalId(built.statefulTemplate, mapping.Properties.DestinationConfig.OnFailure.Destination);
          expect(destination).toBe(logicalIdOf(built.stateful.queues[t.onFailureQueue]!.queue));
          const source = importedLogicalId(built.statefulTemplate, mapping.Properties.EventSourceArn);
          expect(source).toBe(logicalIdOf(built.stateful.tables[t.table]!));
        }
      }
    });
  });

  describe('campaign schedules', () => {
    const resources = () => built.statelessTemplate.toJSON().Resources as Record<string, { Type: string; Properties: Record<string, { Statement: unknown }> }>;
    const role = () => built.stateless.campaignSchedulerRole!;
    const render = (value: unknown): string => JSON.stringify(value);

    it('synthesizes no per-campaign schedule: only the recurring ones of the topology', () => {
      // Prepare
      const schedules = Object.values(built.statelessTemplate.findResources('AWS::Scheduler::Schedule'));
      const recurring = Object.values(topology.functions).flatMap((fn) =>
        fn.triggers.filter((t) => t.kind === 'schedule' && 'expression' in t),
      );
      // Assess
      expect(schedules).toHaveLength(recurring.length);
      for (const schedule of schedules) {
        expect(schedule.Properties.ScheduleExpression).toMatch(/^cron\(/);
        expect(render(schedule.Properties.Target.Input)).not.toMatch(/"type\\?":\\?"(milestone|reminder)\\?"/);
      }
      expect(render(schedules)).not.toContain('2021-xinxiang');
      expect(schedules.map((s) => JSON.parse(s.Properties.Target.Input).type).sort()).toEqual(['purge', 'reconcile', 'reconcile-schedules']);
    });

    it('makes one scheduler role, assumable only by EventBridge Scheduler for this account', () => {
      const trust = resources()[logicalIdOf(role())]!.Properties.AssumeRolePolicyDocument!;
      expect(trust.Statement).toEqual([
        {
          Action: 'sts:AssumeRole',
          Effect: 'Allow',
          Principal: { Service: 'scheduler.amazonaws.com' },
          Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
        },
      ]);
    });

    it('lets the scheduler role invoke exactly start-milestone and start-reminders, and send to schedule-failures', () => {
      // Prepare
      const statements = allowStatementsOfRole(built.statelessTemplate, logicalIdOf(role()));
      const invoke = statements.filter((s) => [s.Action].flat().includes('lambda:InvokeFunction'));
      const send = statements.filter((s) => [s.Action].flat().includes('sqs:SendMessage'));
      // Assess
      expect(actionsOf(statements)).toEqual(['lambda:InvokeFunction', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage']);
      const invoked = invoke.flatMap((s) => [s.Resource].flat()).map((r) => (r as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt']);
      expect(invoked.sort()).toEqual(
        [
          [logicalIdOf(built.stateless.functions['start-milestone']!), 'Arn'],
          [logicalIdOf(built.stateless.functions['start-reminders']!), 'Arn'],
        ].sort(),
      );
      expect(send.flatMap((s) => [s.Resource].flat()).map((r) => importedLogicalId(built.statefulTemplate, r))).toEqual([
        logicalIdOf(built.stateful.queues['schedule-failures']!.queue),
      ]);
    });

    it('lets project-changes manage the schedules of the stage’s groups only, list them, and pass only that role to Scheduler', () => {
      // Prepare
      const statements = allowStatementsOfRole(built.statelessTemplate, roleOf('project-changes'));
      const withAction = (action: string) => statements.filter((s) => [s.Action].flat().includes(action));
      const only = (action: string) => {
        const found = withAction(action);
        expect(found).toHaveLength(1);
        return found[0]!;
      };
      const arn = (resource: unknown) => render(resource);
      // Assess: schedules in groups sciday-dev.* (the ARN in the stack's partition, region and account)
      for (const action of ['scheduler:CreateSchedule', 'scheduler:UpdateSchedule', 'scheduler:DeleteSchedule', 'scheduler:GetSchedule']) {
        expect(arn(only(action).Resource)).toBe(
          render({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':scheduler:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':schedule/sciday-dev.*/*']] }),
        );
      }
      for (const action of ['scheduler:CreateScheduleGroup', 'scheduler:DeleteScheduleGroup', 'scheduler:GetScheduleGroup']) {
        expect(arn(only(action).Resource)).toBe(
          render({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':scheduler:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':schedule-group/sciday-dev.*']] }),
        );
      }
      // ...listing supports no resource-level permission
      expect(only('scheduler:ListScheduleGroups').Resource).toBe('*');
      expect(only('scheduler:ListSchedules').Resource).toBe('*');
      expect(actionsOf(statements).filter((a) => a.startsWith('scheduler:'))).toHaveLength(9);
      // ...PassRole on the scheduler role only, only to Scheduler
      const pass = only('iam:PassRole') as { Resource: unknown; Condition?: unknown };
      expect(pass.Resource).toEqual({ 'Fn::GetAtt': [logicalIdOf(role()), 'Arn'] });
      expect(pass.Condition).toEqual({ StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } });
      // ...and nothing to write the main table with: its one table it writes is the progress read model (its other part)
      const written = statements
        .filter((s) => [s.Action].flat().some((a) => ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'].includes(a)))
        .flatMap((s) => [s.Resource].flat())
        .filter((r): r is object => typeof r === 'object' && r !== null && 'Fn::ImportValue' in r)
        .map((r) => importedLogicalId(built.statefulTemplate, r));
      expect([...new Set(written)]).toEqual([logicalIdOf(built.stateful.tables.progress!)]);
    });

    it('tells project-changes the role, the group prefix, and each target’s ARN and dead-letter queue', () => {
      const variables = fnResource('project-changes').Properties.Environment.Variables;
      expect(variables).toMatchObject({
        SCHEDULER_ROLE_ARN: { 'Fn::GetAtt': [logicalIdOf(role()), 'Arn'] },
        SCHEDULE_GROUP_PREFIX: 'sciday-dev.',
        SCHEDULE_TARGET_START_MILESTONE_ARN: { 'Fn::GetAtt': [logicalIdOf(built.stateless.functions['start-milestone']!), 'Arn'] },
        SCHEDULE_TARGET_START_REMINDERS_ARN: { 'Fn::GetAtt': [logicalIdOf(built.stateless.functions['start-reminders']!), 'Arn'] },
      });
      const failures = logicalIdOf(built.stateful.queues['schedule-failures']!.queue);
      expect(importedLogicalId(built.statefulTemplate, variables.SCHEDULE_TARGET_START_MILESTONE_DLQ_ARN)).toBe(failures);
      expect(importedLogicalId(built.statefulTemplate, variables.SCHEDULE_TARGET_START_REMINDERS_DLQ_ARN)).toBe(failures);
    });

    it('gives no other function a Scheduler action or iam:PassRole', () => {
      for (const id of functionIds.filter((f) => f !== 'project-changes')) {
        const actions = actionsOf(allowStatementsOfRole(built.statelessTemplate, roleOf(id)));
        expect(actions.filter((a) => a.startsWith('scheduler:') || a === 'iam:PassRole')).toEqual([]);
      }
    });

    it('reads the main table’s stream with two mappings, project-changes’ one of them unfiltered, and fires project-changes daily', () => {
      const fn = logicalIdOf(built.stateless.functions['project-changes']!);
      const mappings = Object.values(built.statelessTemplate.findResources('AWS::Lambda::EventSourceMapping')).filter(
        (m) => importedLogicalId(built.statefulTemplate, m.Properties.EventSourceArn) === logicalIdOf(built.stateful.tables.main!),
      );
      // DynamoDB Streams serves at most two readers per shard (ADR 0034).
      expect(mappings.map((m) => m.Properties.FunctionName.Ref).sort()).toEqual(
        [fn, logicalIdOf(built.stateless.functions['record-changes']!)].sort(),
      );
      // Both read every record: progress and the audit trail need them all (the schedules part skips what is not a campaign).
      expect(mappings.filter((m) => m.Properties.FilterCriteria)).toEqual([]);
      for (const m of mappings) {
        expect(m.Properties).toMatchObject({ FunctionResponseTypes: ['ReportBatchItemFailures'], BisectBatchOnFunctionError: true, MaximumRetryAttempts: 5 });
        expect(importedLogicalId(built.statefulTemplate, m.Properties.DestinationConfig.OnFailure.Destination)).toBe(logicalIdOf(built.stateful.queues['stream-failures']!.queue));
      }
      built.statelessTemplate.hasResourceProperties('AWS::Scheduler::Schedule', {
        ScheduleExpression: 'cron(15 0 * * ? *)',
        ScheduleExpressionTimezone: 'Asia/Shanghai',
        Target: Match.objectLike({ Arn: { 'Fn::GetAtt': [fn, 'Arn'] }, Input: JSON.stringify({ type: 'reconcile-schedules' }) }),
      });
    });
  });

  describe('HTTP API', () => {
    it('auto-deploys a throttled $default stage that logs JSON access records', () => {
      // Prepare
      const stages = Object.values(built.statelessTemplate.findResources('AWS::ApiGatewayV2::Stage'));
      // Assess
      expect(stages).toHaveLength(1);
      const stage = stages[0]!.Properties;
      expect(stage).toMatchObject({
        StageName: '$default',
        AutoDeploy: true,
        DefaultRouteSettings: { ThrottlingRateLimit: expect.any(Number), ThrottlingBurstLimit: expect.any(Number) },
      });
      const format = JSON.parse(stage.AccessLogSettings.Format);
      expect(format).toMatchObject({ requestId: '$context.requestId', routeKey: '$context.routeKey', status: '$context.status' });
      const logGroup = built.statelessTemplate.toJSON().Resources[stage.AccessLogSettings.DestinationArn['Fn::GetAtt'][0]];
      expect(logGroup.Type).toBe('AWS::Logs::LogGroup');
    });

    it('answers CORS preflights from the front-end origins and the web site for the methods of the routes', () => {
      built.statelessTemplate.hasResourceProperties('AWS::ApiGatewayV2::Api', {
        CorsConfiguration: {
          AllowOrigins: ['http://localhost:3000', { 'Fn::Join': ['', ['https://', { 'Fn::ImportValue': Match.stringLikeRegexp('^SciDay-dev-Web:') }]] }],
          AllowMethods: [...new Set(httpRoutes(topology).map((r) => r.method))],
        },
      });
    });

    it('outputs the API URL', () => {
      built.statelessTemplate.hasOutput('ApiUrl', { Value: Match.objectLike({ 'Fn::Join': Match.anyValue() }) });
    });
  });

  describe('authorization', () => {
    const routesByKey = (template: BuiltApp['statelessTemplate']) =>
      Object.fromEntries(
        Object.values(template.findResources('AWS::ApiGatewayV2::Route')).map((r) => [r.Properties.RouteKey, r.Properties]),
      );
    const authorizerOf = (b: BuiltApp) => {
      const authorizers = b.statelessTemplate.findResources('AWS::ApiGatewayV2::Authorizer');
      expect(Object.keys(authorizers)).toHaveLength(1);
      const [logicalId, resource] = Object.entries(authorizers)[0]!;
      return { logicalId, properties: resource.Properties };
    };

    it('protects every non-public route with the one JWT authorizer, reading the Authorization header', () => {
      // Prepare
      const routes = routesByKey(built.statelessTemplate);
      const { logicalId, properties } = authorizerOf(built);
      const protectedRoutes = httpRoutes(topology).filter((r) => !r.public);
      // Assess
      expect(protectedRoutes.length).toBeGreaterThan(0);
      expect(properties).toMatchObject({ AuthorizerType: 'JWT', IdentitySource: ['$request.header.Authorization'] });
      for (const route of protectedRoutes) {
        expect(routes[`${route.method} ${route.path}`]).toMatchObject({ AuthorizationType: 'JWT', AuthorizerId: { Ref: logicalId } });
      }
    });

    it('leaves public routes without an authorizer', () => {
      const routes = routesByKey(built.statelessTemplate);
      const publicRoutes = httpRoutes(topology).filter((r) => r.public);
      expect(publicRoutes.length).toBeGreaterThan(0);
      for (const route of publicRoutes) {
        const props = routes[`${route.method} ${route.path}`];
        expect(props.AuthorizationType).toBe('NONE');
        expect(props.AuthorizerId).toBeUndefined();
      }
    });

    it('trusts the Cognito user pool and its web client when no issuer is configured', () => {
      // Prepare
      const { properties } = authorizerOf(built);
      const directory = built.stateful.userDirectory!;
      const issuerParts = properties.JwtConfiguration.Issuer['Fn::Join'][1] as unknown[];
      const issuerImport = issuerParts.find((p) => typeof p === 'object' && p !== null && 'Fn::ImportValue' in p);
      // Assess
      expect(built.cognito).toBe(true);
      expect(issuerParts[0]).toBe('https://cognito-idp.');
      expect(importedLogicalId(built.statefulTemplate, issuerImport)).toBe(logicalIdOf(directory.userPool));
      expect(properties.JwtConfiguration.Audience).toHaveLength(1);
      expect(importedLogicalId(built.statefulTemplate, properties.JwtConfiguration.Audience[0])).toBe(
        logicalIdOf(directory.client),
      );
    });

    it('gives every HTTP function the Cognito claim names of the unit and roles, and no other function', () => {
      for (const id of functionIds) {
        const variables = fnResource(id).Properties.Environment.Variables;
        if (topology.functions[id].triggers.some((t) => t.kind === 'http')) {
          expect(variables).toMatchObject({ [CLAIM_ENV.orgId]: 'custom:orgId', [CLAIM_ENV.roles]: 'custom:roles' });
        } else {
          expect(variables[CLAIM_ENV.orgId]).toBeUndefined();
          expect(variables[CLAIM_ENV.roles]).toBeUndefined();
        }
      }
    });

    describe('with an external issuer in context', () => {
      let external: BuiltApp;
      beforeAll(() => {
        external = buildTestApp({
          context: {
            jwtIssuer: 'https://idp.example.org/realms/sciday',
            jwtAudience: 'sciday-web, sciday-admin',
            jwtClaimOrgId: 'org_id',
            jwtClaimRoles: 'sciday_roles',
          },
        });
      });

      it('uses exactly the issuer and audiences of the context', () => {
        const { logicalId, properties } = authorizerOf(external);
        expect(properties.JwtConfiguration).toEqual({
          Issuer: 'https://idp.example.org/realms/sciday',
          Audience: ['sciday-web', 'sciday-admin'],
        });
        for (const route of httpRoutes(topology).filter((r) => !r.public)) {
          external.statelessTemplate.hasResourceProperties('AWS::ApiGatewayV2::Route', {
            RouteKey: `${route.method} ${route.path}`,
            AuthorizationType: 'JWT',
            AuthorizerId: { Ref: logicalId },
          });
        }
      });

      it('creates no Cognito user pool', () => {
        expect(external.cognito).toBe(false);
        expect(external.stateful.userDirectory).toBeUndefined();
        external.statefulTemplate.resourceCountIs('AWS::Cognito::UserPool', 0);
        external.statefulTemplate.resourceCountIs('AWS::Cognito::UserPoolClient', 0);
      });

      it('passes the claim names of the context to the HTTP functions', () => {
        const fn = external.statelessTemplate.toJSON().Resources[logicalIdOf(external.stateless.functions['create-activity']!)];
        expect(fn.Properties.Environment.Variables).toMatchObject({
          [CLAIM_ENV.orgId]: 'org_id',
          [CLAIM_ENV.roles]: 'sciday_roles',
        });
      });
    });

    it('defaults the claim names of an external issuer to orgId and roles', () => {
      const external = buildTestApp({ context: { jwtIssuer: 'https://idp.example.org', jwtAudience: 'sciday-web' } });
      expect(external.auth.claimNames).toEqual({ orgId: 'orgId', roles: 'roles' });
    });

    it.each([
      [{ jwtIssuer: 'https://idp.example.org' }, /jwtAudience/],
      [{ jwtIssuer: 'http://idp.example.org', jwtAudience: 'web' }, /https URL/],
      [{ jwtIssuer: 'not a url', jwtAudience: 'web' }, /https URL/],
      [{ jwtAudience: 'web' }, /without jwtIssuer/],
    ])('rejects the issuer context %j', (context, message) => {
      expect(() => buildTestApp({ context })).toThrow(message);
    });
  });
});
