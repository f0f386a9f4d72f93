/**
 * A class-data-sharing archive for DynamoDB Local (ADR 0051): the JVM maps the ~6,000 classes the
 * emulator loads at start-up from one file instead of reading, verifying and linking them from 157
 * jars, and answers its first request in about half the time (2.0 s → 1.1 s, measured; every
 * `npm start` and each test's runtime starts one).
 *
 * Java 17's dynamic archive (`-XX:ArchiveClassesAtExit`) refuses a class path holding a directory
 * or a file that is not a jar, and the emulator's manifest lists `.`, `log4j2.xml` and its native
 * libraries. So the archive is made for, and used with, a copy of the jar in `cds/` whose manifest
 * names only its jars (as `../DynamoDBLocal_lib/…`): the classes, the native libraries (found
 * through `java.library.path`) and the behaviour are the emulator's own. The copy is the original's
 * bytes with a new manifest entry appended and the central directory pointed at it.
 *
 * The archive belongs to the `java` that made it: its `java -version` is kept beside it, and a
 * start with another Java (or without the archive, or after any failure to make it) runs the
 * original jar as before.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, inflateRawSync } from 'node:zlib';
import { freePort } from './local-aws';

const DIR = 'cds';
const JAR = 'DynamoDBLocal.jar';
const ARCHIVE = 'DynamoDBLocal.jsa';
const JAVA_VERSION = 'java-version.txt';

/** The launcher jar and its archive, when both were made by this `java` (its `-version` text). */
export function cdsLaunch(jarDir: string, javaVersion: string): { jar: string; options: string[] } | undefined {
  const dir = join(jarDir, DIR);
  const [jar, archive, version] = [join(dir, JAR), join(dir, ARCHIVE), join(dir, JAVA_VERSION)];
  if (!existsSync(jar) || !existsSync(archive) || !existsSync(version)) return undefined;
  if (readFileSync(version, 'utf8') !== javaVersion) return undefined;
  return { jar, options: [`-XX:SharedArchiveFile=${archive}`, '-Xshare:auto'] };
}

/**
 * The emulator's command line after the JVM options: the same for the runs that serve and the run
 * that trains the archive, so the archive holds the classes a real start loads.
 */
export function emulatorArgs(input: { readonly jarDir: string; readonly jar: string; readonly port: number; readonly dbPath: string }): string[] {
  return [`-Djava.library.path=${join(input.jarDir, 'DynamoDBLocal_lib')}`, '-jar', input.jar, '-port', String(input.port), '-sharedDb', '-disableTelemetry', '-dbPath', input.dbPath];
}

/** `java -version`'s text (it prints to stderr), or undefined when java does not run. */
export function javaVersionText(java = 'java'): string | undefined {
  const probe = spawnSync(java, ['-version'], { encoding: 'utf8' });
  return probe.error || probe.status !== 0 ? undefined : `${probe.stderr}${probe.stdout}`.trim();
}

/** A manifest's main section as name → value (continuation lines joined). */
function manifestAttributes(text: string): Array<[string, string]> {
  const lines: string[] = [];
  for (const line of text.replace(/\r\n/g, '\n').split('\n')) {
    if (line.startsWith(' ') && lines.length > 0) lines[lines.length - 1] += line.slice(1);
    else if (line.length > 0) lines.push(line);
  }
  return lines.map((l) => {
    const at = l.indexOf(': ');
    return [l.slice(0, at), l.slice(at + 2)];
  });
}

/** Manifest lines are at most 72 bytes; longer ones continue on lines starting with a space. */
function manifestText(attributes: ReadonlyArray<[string, string]>): string {
  const out: string[] = [];
  for (const [name, value] of attributes) {
    let line = `${name}: ${value}`;
    while (Buffer.byteLength(line) > 70) {
      out.push(line.slice(0, 70));
      line = ` ${line.slice(70)}`;
    }
    out.push(line);
  }
  return `${out.join('\r\n')}\r\n\r\n`;
}

/** The emulator's manifest for a jar one folder down: only its jars on the class path. */
export function launcherManifest(original: string): string {
  return manifestText(
    manifestAttributes(original).map(([name, value]): [string, string] =>
      name === 'Class-Path'
        ? [
            name,
            value
              .split(/\s+/)
              .filter((entry) => entry.endsWith('.jar'))
              .map((entry) => `../${entry}`)
              .join(' '),
          ]
        : [name, value],
    ),
  );
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const MANIFEST = 'META-INF/MANIFEST.MF';

/**
 * `jar` with its manifest replaced by `rewrite(manifest)`: the original bytes up to the central
 * directory, a stored manifest entry after them, then the central directory (the manifest's record
 * now pointing at the new entry) and its end record. A zip without the zip64 extension only.
 */
export function withManifest(jar: Buffer, rewrite: (manifest: string) => string, inflate: (data: Buffer) => Buffer): Buffer {
  let end = jar.length - 22;
  while (end >= 0 && jar.readUInt32LE(end) !== EOCD) end -= 1;
  if (end < 0) throw new Error('not a zip file: no end of central directory');
  const entries = jar.readUInt16LE(end + 10);
  const cdOffset = jar.readUInt32LE(end + 16);
  if (entries === 0xffff || cdOffset === 0xffffffff) throw new Error('zip64 archives are not supported');

  const records: Buffer[] = [];
  let manifestAt = -1;
  let replaced: Buffer | undefined;
  for (let at = cdOffset, i = 0; i < entries; i += 1) {
    if (jar.readUInt32LE(at) !== CENTRAL) throw new Error(`bad central directory record at ${at}`);
    const nameLength = jar.readUInt16LE(at + 28);
    const length = 46 + nameLength + jar.readUInt16LE(at + 30) + jar.readUInt16LE(at + 32);
    const name = jar.toString('utf8', at + 46, at + 46 + nameLength);
    const record = Buffer.from(jar.subarray(at, at + length));
    if (name === MANIFEST) {
      manifestAt = records.length;
      const method = record.readUInt16LE(10);
      const size = record.readUInt32LE(20);
      const local = record.readUInt32LE(42);
      const dataAt = local + 30 + jar.readUInt16LE(local + 26) + jar.readUInt16LE(local + 28);
      const data = jar.subarray(dataAt, dataAt + size);
      const text = (method === 0 ? data : inflate(data)).toString('utf8');
      replaced = Buffer.from(rewrite(text), 'utf8');
    }
    records.push(record);
    at += length;
  }
  if (manifestAt < 0 || !replaced) throw new Error(`no ${MANIFEST} in the jar`);

  const name = Buffer.from(MANIFEST, 'utf8');
  const crc = crc32(replaced);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(LOCAL, 0);
  local.writeUInt16LE(10, 4); // version needed: 1.0
  local.writeUInt16LE(0, 6); // flags: no data descriptor
  local.writeUInt16LE(0, 8); // stored
  local.writeUInt32LE(records[manifestAt]!.readUInt32LE(12), 10); // the original's time and date
  local.writeUInt32LE(crc, 14);
  local.writeUInt32LE(replaced.length, 18);
  local.writeUInt32LE(replaced.length, 22);
  local.writeUInt16LE(name.length, 26);
  local.writeUInt16LE(0, 28);

  const old = records[manifestAt]!;
  const central = Buffer.alloc(46);
  old.copy(central, 0, 0, 46);
  central.writeUInt16LE(10, 6);
  central.writeUInt16LE(0, 8);
  central.writeUInt16LE(0, 10);
  central.writeUInt32LE(crc, 16);
  central.writeUInt32LE(replaced.length, 20);
  central.writeUInt32LE(replaced.length, 24);
  central.writeUInt16LE(name.length, 28);
  central.writeUInt16LE(0, 30); // no extra field
  central.writeUInt16LE(0, 32); // no comment
  central.writeUInt32LE(cdOffset, 42); // the new local record starts where the directory did
  records[manifestAt] = Buffer.concat([central, name]);

  const directory = Buffer.concat(records);
  const eocd = Buffer.from(jar.subarray(end, end + 22));
  eocd.writeUInt32LE(directory.length, 12);
  eocd.writeUInt32LE(cdOffset + local.length + name.length + replaced.length, 16);
  eocd.writeUInt16LE(0, 20); // no comment
  return Buffer.concat([jar.subarray(0, cdOffset), local, name, replaced, directory, eocd]);
}

/** What the archive is trained on: the calls the runtime makes at start-up and in a test's first minute. */
async function workload(endpoint: string): Promise<void> {
  // Loaded here: the runtime imports this module for `cdsLaunch` before it loads the SDK.
  const { CreateTableCommand, DynamoDBClient, ListTablesCommand, PutItemCommand, QueryCommand, TransactWriteItemsCommand, UpdateItemCommand } = await import('@aws-sdk/client-dynamodb');
  const { DescribeStreamCommand, DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand } = await import('@aws-sdk/client-dynamodb-streams');
  const base = { endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };
  const ddb = new DynamoDBClient({ ...base, maxAttempts: 1 });
  const streams = new DynamoDBStreamsClient(base);
  try {
    for (;;) {
      if (await ddb.send(new ListTablesCommand({})).then(() => true, () => false)) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const S = { AttributeType: 'S' } as const;
    const table = await ddb.send(
      new CreateTableCommand({
        TableName: 'train',
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'pk', ...S }, { AttributeName: 'sk', ...S }, { AttributeName: 'g', ...S }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
        GlobalSecondaryIndexes: [{ IndexName: 'by-g', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }], Projection: { ProjectionType: 'ALL' } }],
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
      }),
    );
    for (let i = 0; i < 20; i += 1) {
      await ddb.send(new PutItemCommand({ TableName: 'train', Item: { pk: { S: 'p' }, sk: { S: `s${i}` }, g: { S: 'g' }, n: { N: String(i) } }, ConditionExpression: 'attribute_not_exists(pk)' }));
    }
    await ddb.send(new UpdateItemCommand({ TableName: 'train', Key: { pk: { S: 'p' }, sk: { S: 's1' } }, UpdateExpression: 'ADD n :one', ExpressionAttributeValues: { ':one': { N: '1' } } }));
    await ddb.send(
      new TransactWriteItemsCommand({
        TransactItems: [
          { Put: { TableName: 'train', Item: { pk: { S: 't' }, sk: { S: '1' } }, ConditionExpression: 'attribute_not_exists(pk)' } },
          { Update: { TableName: 'train', Key: { pk: { S: 'p' }, sk: { S: 's2' } }, UpdateExpression: 'SET m = :m', ExpressionAttributeValues: { ':m': { S: 'x' } } } },
        ],
      }),
    );
    await ddb.send(new QueryCommand({ TableName: 'train', KeyConditionExpression: 'pk = :p AND begins_with(sk, :s)', ExpressionAttributeValues: { ':p': { S: 'p' }, ':s': { S: 's' } } }));
    await ddb.send(new QueryCommand({ TableName: 'train', IndexName: 'by-g', KeyConditionExpression: 'g = :g', ExpressionAttributeValues: { ':g': { S: 'g' } } }));
    const streamArn = table.TableDescription?.LatestStreamArn;
    if (streamArn) {
      const shard = (await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }))).StreamDescription?.Shards?.[0]?.ShardId;
      if (shard) {
        const it = await streams.send(new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shard, ShardIteratorType: 'TRIM_HORIZON' }));
        await streams.send(new GetRecordsCommand({ ShardIterator: it.ShardIterator }));
      }
    }
  } finally {
    ddb.destroy();
    streams.destroy();
  }
}

/**
 * Makes `cds/DynamoDBLocal.jar` and its archive in `jarDir` (once per Java): runs the emulator
 * through a short workload with `-XX:ArchiveClassesAtExit` and keeps the archive it writes as it
 * stops. Answers false (and leaves nothing half-made) when it could not.
 */
export async function makeCdsArchive(jarDir: string, log: (line: string) => void = () => {}): Promise<boolean> {
  const javaVersion = javaVersionText();
  if (!javaVersion) return false;
  if (cdsLaunch(jarDir, javaVersion)) return true;
  const dir = join(jarDir, DIR);
  const work = mkdtempSync(join(tmpdir(), 'sciday-cds-'));
  try {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, JAR), withManifest(readFileSync(join(jarDir, JAR)), launcherManifest, (d) => inflateRawSync(d)));
    const archive = join(dir, `${ARCHIVE}.partial`);
    const port = await freePort();
    const child = spawn(
      'java',
      [`-XX:ArchiveClassesAtExit=${archive}`, ...emulatorArgs({ jarDir, jar: join(dir, JAR), port, dbPath: work })],
      { cwd: jarDir, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    child.stderr?.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-4000)));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    try {
      await Promise.race([workload(`http://127.0.0.1:${port}`), exited.then(() => Promise.reject(new Error(`the JVM exited: ${stderr.trim()}`)))]);
    } finally {
      child.kill('SIGTERM');
      await exited;
      clearTimeout(timer);
    }
    if (!existsSync(archive)) throw new Error(`no archive was written: ${stderr.trim()}`);
    renameSync(archive, join(dir, ARCHIVE));
    writeFileSync(join(dir, JAVA_VERSION), javaVersion);
    log(`DynamoDB Local class-data archive ready (${join(dir, ARCHIVE)})`);
    return true;
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    log(`DynamoDB Local will start without a class-data archive: ${(error as Error).message}`);
    return false;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
