// Whether and above which size run-export has Athena make a campaign's tables (ADR 0029): read
// once at cold start, like every setting (shared/config.ts).
import { loadAthenaExportConfig } from '../../../shared/config';
import { ConfigError } from '../../../shared/errors';
import { topology, validateTopology, type Topology } from '../../../infra/topology';

const WIRED = { ATHENA_EXPORT_WORKGROUP: 'sciday-prod-exports', ATHENA_EXPORT_DATABASE: 'sciday_prod_export_work' };

describe('Function: loadAthenaExportConfig', () => {
  it('answers never without a workgroup (one machine), and the workgroup, database and default thresholds on AWS', () => {
    expect(loadAthenaExportConfig({})).toBeUndefined();
    expect(loadAthenaExportConfig({ ATHENA_EXPORT_WORKGROUP: '' })).toBeUndefined();
    expect(loadAthenaExportConfig(WIRED)).toEqual({ workGroup: 'sciday-prod-exports', database: 'sciday_prod_export_work', minActivities: 150_000, minItems: 1_500_000 });
  });

  it('takes other thresholds from the environment', () => {
    expect(loadAthenaExportConfig({ ...WIRED, ATHENA_EXPORT_MIN_ACTIVITIES: '20000', ATHENA_EXPORT_MIN_ITEMS: '300000' })).toMatchObject({ minActivities: 20_000, minItems: 300_000 });
  });

  it('fails at cold start on a missing database or a threshold that is not a positive whole number', () => {
    expect(() => loadAthenaExportConfig({ ATHENA_EXPORT_WORKGROUP: 'w' })).toThrow(/ATHENA_EXPORT_DATABASE/);
    expect(() => loadAthenaExportConfig({ ...WIRED, ATHENA_EXPORT_MIN_ACTIVITIES: 'many' })).toThrow(ConfigError);
    expect(() => loadAthenaExportConfig({ ...WIRED, ATHENA_EXPORT_MIN_ITEMS: '-1' })).toThrow(/ATHENA_EXPORT_MIN_ITEMS/);
    expect(() => loadAthenaExportConfig({ ...WIRED, ATHENA_EXPORT_DATABASE: 'Bad-Name' })).toThrow(/ATHENA_EXPORT_DATABASE/);
  });
});

describe('Function: validateTopology, athenaExports', () => {
  it('refuses a function that has Athena read table copies it never makes', () => {
    // Prepare
    const { tableCopies: _copies, ...withoutCopies } = topology.functions['run-export'];
    const t = { ...topology, functions: { ...topology.functions, 'run-export': withoutCopies } } as Topology;
    // Act + Assess
    expect(validateTopology(topology)).toEqual([]);
    expect(validateTopology(t)).toEqual(['run-export: athenaExports reads table copies, but the function makes none (tableCopies)']);
  });
});
