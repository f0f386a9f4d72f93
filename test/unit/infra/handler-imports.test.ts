// Campaigns are data (ADR 0023): no function's bundle may contain a compiled-in campaign
// definition. One esbuild pass over every entry of the topology, reading each output's inputs.
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { topology } from '../../../infra/topology';

jest.setTimeout(120_000);

describe('What the functions bundle', () => {
  it('no handler imports a campaign definition (shared/campaigns/): they read the stored campaigns', async () => {
    const root = resolve(__dirname, '../../..');
    const entries = Object.entries(topology.functions).map(([id, fn]) => ({ in: join(root, fn.entry), out: id }));
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
    const offenders = Object.entries(result.metafile.outputs)
      .filter(([file]) => file.endsWith('.js'))
      .flatMap(([file, output]) => Object.keys(output.inputs).filter((i) => i.includes('shared/campaigns/')).map((i) => `${file}: ${i}`));
    expect(offenders).toEqual([]);
    expect(Object.keys(result.metafile.outputs).filter((f) => f.endsWith('.js'))).toHaveLength(entries.length);
  });
});
