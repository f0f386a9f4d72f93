// DynamoDB Local's class-data archive (ADR 0051), as `npm ci` made it on this machine: the
// launcher jar's manifest, the jar's other entries untouched, and the archive really used.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { cdsLaunch, javaVersionText, launcherManifest, withManifest } from '../../infra/local/dynamodb-local-cds';
import { dynamoDbLocalDir } from '../../infra/local/dynamodb-local';

const jarDir = dynamoDbLocalDir(process.cwd());

/** Every entry of a zip as name → [method, crc, compressed size, size, data] (through its central directory). */
function entries(zip: Buffer): Map<string, { method: number; crc: number; data: Buffer }> {
  let end = zip.length - 22;
  while (zip.readUInt32LE(end) !== 0x06054b50) end -= 1;
  const out = new Map<string, { method: number; crc: number; data: Buffer }>();
  for (let at = zip.readUInt32LE(end + 16), i = 0; i < zip.readUInt16LE(end + 10); i += 1) {
    const nameLength = zip.readUInt16LE(at + 28);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    const local = zip.readUInt32LE(at + 42);
    expect(zip.readUInt32LE(local)).toBe(0x04034b50);
    const dataAt = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    out.set(name, { method: zip.readUInt16LE(at + 10), crc: zip.readUInt32LE(at + 16), data: zip.subarray(dataAt, dataAt + zip.readUInt32LE(at + 20)) });
    at += 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  return out;
}

describe('DynamoDB Local with a class-data archive', () => {
  const original = readFileSync(join(jarDir, 'DynamoDBLocal.jar'));
  const manifestOf = (zip: Buffer) => {
    const m = entries(zip).get('META-INF/MANIFEST.MF')!;
    return (m.method === 0 ? m.data : inflateRawSync(m.data)).toString('utf8');
  };

  it('gives the launcher a manifest naming only jars, one folder up, in lines of at most 72 bytes', () => {
    const text = launcherManifest(manifestOf(original));
    const lines = text.split('\r\n');
    expect(Math.max(...lines.map((l) => Buffer.byteLength(l) + 2))).toBeLessThanOrEqual(72);
    const attributes = text.replace(/\r\n /g, '');
    expect(attributes).toContain('Main-Class: com.amazonaws.services.dynamodbv2.local.main.ServerRunner');
    const classPath = /Class-Path: (.*)/.exec(attributes)![1]!.split(' ');
    expect(classPath.length).toBeGreaterThan(100);
    expect(classPath.every((e) => e.startsWith('../DynamoDBLocal_lib/') && e.endsWith('.jar'))).toBe(true);
    // What the original lists and the archive refuses: the folder itself, a file and native libraries
    expect(/Class-Path: (.*)/.exec(manifestOf(original).replace(/\r?\n /g, ''))![1]!.split(' ')).toEqual(expect.arrayContaining(['.', 'log4j2.xml']));
  });

  it('changes only the manifest: every other entry keeps its bytes and checksum', () => {
    const rewritten = withManifest(original, launcherManifest, (d) => inflateRawSync(d));
    const [before, after] = [entries(original), entries(rewritten)];
    expect([...after.keys()]).toEqual([...before.keys()]);
    for (const [name, entry] of before) {
      if (name === 'META-INF/MANIFEST.MF') continue;
      expect(after.get(name)!.crc).toBe(entry.crc);
      expect(after.get(name)!.data.equals(entry.data)).toBe(true);
    }
    expect(manifestOf(rewritten)).toBe(launcherManifest(manifestOf(original)));
  });

  it('is made by npm ci for this Java, and the JVM maps the emulator’s classes from it', () => {
    const javaVersion = javaVersionText();
    expect(javaVersion).toMatch(/version "\d+/);
    const launch = cdsLaunch(jarDir, javaVersion!);
    expect(launch).toBeDefined();
    // -Xshare:on fails the start rather than fall back when the archive cannot be used
    const run = spawnSync('java', ['-Xshare:on', ...launch!.options.filter((o) => o !== '-Xshare:auto'), '-Xlog:class+load=info', '-jar', launch!.jar, '-help'], {
      cwd: jarDir,
      encoding: 'utf8',
    });
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/com\.amazonaws\.services\.dynamodbv2\.local\.main\.ServerRunner source: shared objects file \(top\)/);
    // and another Java's text finds no archive: the original jar starts as before
    expect(cdsLaunch(jarDir, `${javaVersion} (another)`)).toBeUndefined();
  });
});
