/**
 * DuckDB on Lambda: run-export's asset carries DuckDB's native binding for Lambda's linux-arm64,
 * whatever machine bundles it. Unlike the other infra tests this one bundles for real (one
 * function: esbuild, then `npm ci` into the asset, ~5 s once npm's cache holds the tarballs) and
 * reads what Lambda would receive: the packages, their pinned versions, the ELF headers.
 *
 * What it cannot do on an x64 machine: load the binding. That happens on the first arm64
 * invocation (or in an arm64 container/CI runner).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import type { Asset } from 'aws-cdk-lib/aws-s3-assets';
import { FEATURE_FLAGS } from '../../infra/build-app';
import { AppFunction, LAMBDA_NPM_TARGET } from '../../infra/constructs/app-function';
import { topology, type Topology } from '../../infra/topology';

const PROJECT_ROOT = process.cwd();
const FIXTURE_ENTRY = 'test/fixtures/native-duckdb/handler.ts';
/** ELF e_machine of 64-bit ARM (EM_AARCH64). */
const EM_AARCH64 = 183;
/** Amazon Linux 2023, the OS of Lambda's nodejs22.x, ships glibc 2.34. */
const LAMBDA_GLIBC_MINOR = 34;

const runExport = (topology.functions as Topology['functions'])['run-export'];
const packageJson = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
const lock = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { version?: string }>;
};
const PINNED = packageJson.dependencies['@duckdb/node-api'];

interface ElfHeader {
  readonly magic: boolean;
  readonly is64Bit: boolean;
  readonly littleEndian: boolean;
  readonly type: number;
  readonly machine: number;
}

/** The fields of an ELF header that say which machine a shared object is for. */
function elfHeader(file: string): ElfHeader {
  const bytes = readFileSync(file).subarray(0, 64);
  const littleEndian = bytes[5] === 1;
  const u16 = (offset: number) => (littleEndian ? bytes.readUInt16LE(offset) : bytes.readUInt16BE(offset));
  return {
    magic: bytes.subarray(0, 4).equals(Buffer.from([0x7f, 0x45, 0x4c, 0x46])),
    is64Bit: bytes[4] === 2,
    littleEndian,
    type: u16(16),
    machine: u16(18),
  };
}

/** The highest `GLIBC_2.N` symbol version a shared object names (its minimum glibc). */
function highestGlibcMinor(file: string): number {
  const text = readFileSync(file).toString('latin1');
  return Math.max(0, ...[...text.matchAll(/GLIBC_2\.(\d+)/g)].map((m) => Number(m[1])));
}

function directoryBytes(dir: string): number {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .reduce((sum, entry) => sum + statSync(join(entry.parentPath, entry.name)).size, 0);
}

describe('run-export: DuckDB for Lambda arm64', () => {
  it('declares @duckdb/node-api as a native module in the topology', () => {
    expect(runExport).toBeDefined();
    expect(runExport?.nativeModules).toContain('@duckdb/node-api');
  });

  it('pins @duckdb/node-api exactly, so the binding version in the asset is known', () => {
    expect(PINNED).toMatch(/^\d+\.\d+\.\d+(-[\w.]+)?$/);
    expect(lock.packages['node_modules/@duckdb/node-bindings-linux-arm64']?.version).toBe(PINNED);
  });

  describe('its asset, bundled for real', () => {
    let outdir: string;
    let asset: string;
    let fn: AppFunction;

    beforeAll(() => {
      // Prepare: run-export's topology entry with a fixture entry file, in an app that bundles.
      outdir = mkdtempSync(join(tmpdir(), 'sciday-native-'));
      const app = new App({ outdir, context: { ...FEATURE_FLAGS } });
      const stack = new Stack(app, 'NativeModules');
      const spec = { ...runExport!, entry: FIXTURE_ENTRY, nativeModules: runExport?.nativeModules ?? ['@duckdb/node-api'] };
      // Act: NodejsFunction bundles while it is constructed.
      fn = new AppFunction(stack, 'run-export', { spec, stage: 'test', projectRoot: PROJECT_ROOT });
      asset = join(outdir, (fn.node.findChild('Code') as Asset).assetPath);
    }, 120_000);

    afterAll(() => {
      if (outdir) rmSync(outdir, { recursive: true, force: true });
    });

    it('runs on arm64 and leaves DuckDB out of the esbuild bundle, importing it from node_modules', () => {
      expect(fn.architecture.name).toBe('arm64');
      const bundle = readFileSync(join(asset, 'index.mjs'), 'utf8');
      expect(bundle).toMatch(/from\s*"@duckdb\/node-api"/);
      expect(bundle).not.toContain('duckdb.node');
      expect(LAMBDA_NPM_TARGET).toEqual({ npm_config_os: 'linux', npm_config_cpu: 'arm64', npm_config_libc: 'glibc' });
    });

    it('installs exactly the linux-arm64 (glibc) binding, at the pinned version', () => {
      const duckdb = join(asset, 'node_modules', '@duckdb');
      expect(readdirSync(duckdb).sort()).toEqual(['node-api', 'node-bindings', 'node-bindings-linux-arm64']);
      const version = (name: string) => (JSON.parse(readFileSync(join(duckdb, name, 'package.json'), 'utf8')) as { version: string }).version;
      expect(version('node-api')).toBe(PINNED);
      expect(version('node-bindings')).toBe(PINNED);
      expect(version('node-bindings-linux-arm64')).toBe(PINNED);
      const binding = JSON.parse(readFileSync(join(duckdb, 'node-bindings-linux-arm64', 'package.json'), 'utf8')) as {
        os: string[];
        cpu: string[];
      };
      expect(binding).toMatchObject({ os: ['linux'], cpu: ['arm64'] });
    });

    it.each(['duckdb.node', 'libduckdb.so'])('ships %s as a 64-bit little-endian ELF shared object for AArch64', (file) => {
      const header = elfHeader(join(asset, 'node_modules', '@duckdb', 'node-bindings-linux-arm64', file));
      expect(header).toEqual({ magic: true, is64Bit: true, littleEndian: true, type: 3 /* ET_DYN */, machine: EM_AARCH64 });
    });

    it('needs no newer glibc than Amazon Linux 2023 has, and stays under Lambda’s 250 MB unzipped', () => {
      for (const file of ['duckdb.node', 'libduckdb.so']) {
        const minor = highestGlibcMinor(join(asset, 'node_modules', '@duckdb', 'node-bindings-linux-arm64', file));
        expect(minor).toBeGreaterThan(0);
        expect(minor).toBeLessThanOrEqual(LAMBDA_GLIBC_MINOR);
      }
      expect(directoryBytes(asset)).toBeLessThan(250 * 1024 * 1024);
    });
  });
});
