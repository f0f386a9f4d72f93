// What every function's bundle takes in: one esbuild pass over every entry of the topology,
// reading each output's inputs.
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { topology } from '../../../infra/topology';

jest.setTimeout(120_000);

describe('What the functions bundle', () => {
  const root = resolve(__dirname, '../../..');
  const entries = Object.entries(topology.functions).map(([id, fn]) => ({ in: join(root, fn.entry), out: id }));
  /** Each bundle's source files. */
  let bundles: Array<[string, string[]]> = [];

  beforeAll(async () => {
    const result = await build({
      entryPoints: entries,
      bundle: true,
      write: false,
      metafile: true,
      outdir: '/tmp/sciday-handler-imports',
      platform: 'node',
      format: 'esm',
      target: 'node22',
      mainFields: ['module', 'main'],
      external: ['@aws-sdk/*', '@duckdb/*'],
      logLevel: 'silent',
    });
    bundles = Object.entries(result.metafile.outputs)
      .filter(([file]) => file.endsWith('.js'))
      .map(([file, output]) => [file, Object.keys(output.inputs)]);
  });

  it('no handler imports a campaign definition (shared/campaigns/): they read the stored campaigns', () => {
    // Campaigns are data (ADR 0023): no function's bundle may contain a compiled-in campaign definition.
    const offenders = bundles.flatMap(([file, inputs]) => inputs.filter((i) => i.includes('shared/campaigns/')).map((i) => `${file}: ${i}`));
    expect(offenders).toEqual([]);
    expect(bundles).toHaveLength(entries.length);
  });

  it('takes zod as zod/mini through shared/domain/zod.ts (its English messages), never classic zod (ADR 0053)', () => {
    const withZod = bundles.filter(([, inputs]) => inputs.some((i) => i.includes('node_modules/zod/')));
    expect(withZod.length).toBeGreaterThan(entries.length / 2);
    expect(withZod.filter(([, inputs]) => inputs.some((i) => i.includes('node_modules/zod/v4/classic/'))).map(([file]) => file)).toEqual([]);
    expect(withZod.filter(([, inputs]) => !inputs.some((i) => i.endsWith('shared/domain/zod.ts'))).map(([file]) => file)).toEqual([]);
  });
});
