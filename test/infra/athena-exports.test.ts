/**
 * Athena making a large campaign's export tables from its table copy (ADR 0029): the workgroup and
 * Glue database of run-export's own (stateful stack), and run-export's grants on them (stateless
 * stack), each as narrow as the statements need; no other function gets any of it.
 */
import { EXPORT_RESULTS_PREFIX } from '../../infra/constructs/analytics';
import { topology } from '../../infra/topology';
import { acknowledgementsUnder, actionsOf, allowStatementsOfRole, buildTestApp, logicalIdOf, type BuiltApp } from '../helpers/infra-app';

interface Statement {
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: unknown;
  readonly Condition?: unknown;
}

const functionIds = Object.keys(topology.functions);
const actions = (s: Statement): string[] => [s.Action].flat();
const resources = (s: Statement): string[] => [s.Resource].flat().map((r) => JSON.stringify(r));

describe('Athena exports (ADR 0029)', () => {
  let built: BuiltApp;
  beforeAll(() => {
    built = buildTestApp();
  });
  const roleOf = (id: string) => logicalIdOf(built.stateless.functions[id]!.role!);
  const statementsOf = (id: string) => allowStatementsOfRole(built.statelessTemplate, roleOf(id)) as Statement[];

  describe('the workgroup and database of run-export', () => {
    it('makes a Glue database for the temporary tables, apart from the analysts’ tables', () => {
      // Assess
      built.statefulTemplate.hasResourceProperties('AWS::Glue::Database', { CatalogId: { Ref: 'AWS::AccountId' }, DatabaseInput: { Name: 'sciday_dev_export_work' } });
      const tables = Object.values(built.statefulTemplate.findResources('AWS::Glue::Table'));
      expect(tables.every((t) => t.Properties.DatabaseName === 'sciday_dev')).toBe(true);
    });

    it('makes a workgroup that leaves each CTAS its location, encrypts its results under export-queries/, and limits each scan', () => {
      // Act
      const workGroups = Object.values(built.statefulTemplate.findResources('AWS::Athena::WorkGroup')).filter((w) => w.Properties.Name === 'sciday-dev-exports');
      // Assess
      expect(workGroups).toHaveLength(1);
      const config = workGroups[0]!.Properties.WorkGroupConfiguration;
      expect(config).toMatchObject({
        EnforceWorkGroupConfiguration: false,
        BytesScannedCutoffPerQuery: 100 * 1024 ** 3,
        EngineVersion: { SelectedEngineVersion: 'Athena engine version 3' },
        ResultConfiguration: { EncryptionConfiguration: { EncryptionOption: 'SSE_S3' }, ExpectedBucketOwner: { Ref: 'AWS::AccountId' } },
      });
      const location = JSON.stringify(config.ResultConfiguration.OutputLocation);
      expect(location).toContain(logicalIdOf(built.stateful.analytics!.resultsBucket));
      expect(location).toContain(`/${EXPORT_RESULTS_PREFIX}`);
    });

    it('gives analysts nothing of it: their policy names neither the export workgroup, nor its database, nor its results', () => {
      const policy = built.statefulTemplate.toJSON().Resources[logicalIdOf(built.stateful.analytics!.analystPolicy)];
      const text = JSON.stringify(policy.Properties.PolicyDocument);
      expect(text).not.toContain('sciday-dev-exports');
      expect(text).not.toContain('sciday_dev_export_work');
      expect(text).not.toContain(EXPORT_RESULTS_PREFIX);
    });
  });

  describe('run-export’s grants', () => {
    it('tells run-export the workgroup and the database, and leaves the thresholds to their defaults', () => {
      const fn = built.statelessTemplate.toJSON().Resources[logicalIdOf(built.stateless.functions['run-export']!)];
      const env = fn.Properties.Environment.Variables;
      expect(env).toMatchObject({ ATHENA_EXPORT_WORKGROUP: 'sciday-dev-exports', ATHENA_EXPORT_DATABASE: 'sciday_dev_export_work' });
      expect(Object.keys(env).filter((k) => k.startsWith('ATHENA_EXPORT_MIN'))).toEqual([]);
    });

    it('lets run-export run, watch and stop statements in the export workgroup only', () => {
      // Act
      const athena = statementsOf('run-export').filter((s) => actions(s).some((a) => a.startsWith('athena:')));
      // Assess
      expect(athena).toHaveLength(1);
      expect(actionsOf(athena as never)).toEqual(['athena:GetQueryExecution', 'athena:StartQueryExecution', 'athena:StopQueryExecution']);
      expect(resources(athena[0]!)).toHaveLength(1);
      expect(resources(athena[0]!)[0]).toContain(':workgroup/sciday-dev-exports');
    });

    it('lets run-export make and drop tables in the database of temporary tables only', () => {
      // Act
      const glue = statementsOf('run-export').filter((s) => actions(s).some((a) => a.startsWith('glue:')));
      // Assess
      expect(actionsOf(glue as never)).toEqual(['glue:CreateTable', 'glue:DeleteTable', 'glue:GetDatabase', 'glue:GetPartitions', 'glue:GetTable']);
      const named = glue.flatMap(resources);
      expect(named.every((r) => r.includes(':catalog') || r.includes(':database/sciday_dev_export_work') || r.includes(':table/sciday_dev_export_work/*'))).toBe(true);
      expect(named.some((r) => r.includes(':table/sciday_dev/') || r.includes(':database/sciday_dev"'))).toBe(false);
      // Writes are on the temporary tables only, never the catalogue or database itself.
      const writes = glue.filter((s) => actions(s).some((a) => a === 'glue:CreateTable' || a === 'glue:DeleteTable'));
      expect(writes.flatMap(resources).filter((r) => r.includes(':table/'))).toEqual([expect.stringContaining(':table/sciday_dev_export_work/*')]);
    });

    it('lets run-export read and write the export workgroup’s results under export-queries/ only, and list only that prefix', () => {
      // Prepare
      const results = logicalIdOf(built.stateful.analytics!.resultsBucket);
      const onResults = statementsOf('run-export').filter((s) => resources(s).some((r) => r.includes(results)));
      // Assess
      const objects = onResults.filter((s) => actions(s).includes('s3:GetObject'));
      expect(objects).toHaveLength(1);
      expect(actionsOf(objects as never)).toEqual(['s3:AbortMultipartUpload', 's3:GetObject', 's3:ListMultipartUploadParts', 's3:PutObject']);
      expect(resources(objects[0]!).every((r) => r.includes(`/${EXPORT_RESULTS_PREFIX}*`))).toBe(true);
      const listing = onResults.filter((s) => actions(s).includes('s3:ListBucket'));
      expect(listing).toEqual([expect.objectContaining({ Condition: { StringLike: { 's3:prefix': [`${EXPORT_RESULTS_PREFIX}*`] } } })]);
      // Nothing on the analysts' results (athena/).
      expect(onResults.flatMap(resources).some((r) => r.includes('/athena/'))).toBe(false);
    });

    it('gives Athena no more of the exports bucket than the table copies already had: objects under table-copies/ and campaign= only', () => {
      const exportsBucket = logicalIdOf(built.stateful.buckets.exports!);
      const objectPrefixes = statementsOf('run-export')
        .filter((s) => resources(s).some((r) => r.includes(exportsBucket.slice(0, 10))))
        .flatMap(resources)
        .map((r) => /"\/([^"]+)\*"/.exec(r)?.[1])
        .filter((p): p is string => p !== undefined);
      expect([...new Set(objectPrefixes)].sort()).toEqual(['campaign=', 'table-copies/']);
    });

    it('acknowledges each wildcard of these grants with its reason', () => {
      const acks = acknowledgementsUnder(built.stateless.functions['run-export']!.role!).map((a) => a.reason);
      expect(acks).toEqual(expect.arrayContaining([expect.stringContaining('sciday_dev_export_work'), expect.stringContaining(`${EXPORT_RESULTS_PREFIX}<query id>`)]));
    });

    it('gives no other function any Athena or Glue action', () => {
      for (const id of functionIds.filter((f) => f !== 'run-export')) {
        expect([id, actionsOf(statementsOf(id) as never).filter((a) => a.startsWith('athena:') || a.startsWith('glue:'))]).toEqual([id, []]);
      }
    });
  });
});
