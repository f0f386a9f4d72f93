/**
 * The {@link ScheduleGateway} on one machine: one JSON file under the runtime's data dir
 * (`LOCAL_SCHEDULES_FILE`, set by the local runtime only), which the local scheduler reads on
 * every tick, so a schedule made by sync-schedules fires without a restart.
 *
 * ```json
 * { "version": 1, "groups": { "sciday-local.2021-xinxiang": { "2021-xinxiang.registration":
 *   { "wallTime": "2021-09-25T00:00:00", "timeZone": "Asia/Shanghai", "target": "start-milestone", "input": {…} } } } }
 * ```
 *
 * Every change is read-modify-write under a mutex of the module (every handler runs in the one
 * process of the runtime) and written atomically (a temporary file renamed over the old one), so
 * the scheduler never reads half a file.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { wallTimeInstant, type CampaignSchedule, type ExistingSchedule, type ScheduleGateway } from './schedule-gateway';

interface StoredSchedule {
  readonly wallTime: string;
  readonly timeZone: string;
  readonly target: string;
  readonly input: unknown;
}

export interface LocalScheduleFile {
  readonly version: 1;
  readonly groups: Record<string, Record<string, StoredSchedule>>;
}

/** A schedule of the file with its instant, for the local scheduler and `GET /local/schedules`. */
export interface LocalCampaignSchedule extends StoredSchedule {
  readonly group: string;
  readonly name: string;
  /** The wall time in its zone as an instant. */
  readonly at: Date;
}

const empty = (): LocalScheduleFile => ({ version: 1, groups: {} });

/** The file's contents; an absent file holds no schedules. */
export function readScheduleFile(file: string): LocalScheduleFile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return empty();
    throw error;
  }
  const parsed = JSON.parse(text) as Partial<LocalScheduleFile>;
  return { version: 1, groups: parsed.groups ?? {} };
}

/** Every schedule of the file, in firing order. */
export function readLocalSchedules(file: string): LocalCampaignSchedule[] {
  const { groups } = readScheduleFile(file);
  return Object.entries(groups)
    .flatMap(([group, schedules]) =>
      Object.entries(schedules).map(([name, s]) => ({ group, name, ...s, at: wallTimeInstant(s.wallTime, s.timeZone) })),
    )
    .sort((a, b) => a.at.getTime() - b.at.getTime() || `${a.group}/${a.name}`.localeCompare(`${b.group}/${b.name}`));
}

/** One change at a time across every gateway of the process (they may share a file). */
let lock: Promise<unknown> = Promise.resolve();
function exclusively<T>(work: () => T | Promise<T>): Promise<T> {
  const next = lock.then(work);
  lock = next.catch(() => undefined);
  return next;
}

function writeScheduleFile(file: string, contents: LocalScheduleFile): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(contents, null, 2)}\n`);
  renameSync(tmp, file);
}

export class LocalFileScheduleGateway implements ScheduleGateway {
  public constructor(private readonly file: string) {}

  private change(edit: (groups: LocalScheduleFile['groups']) => boolean): Promise<void> {
    return exclusively(() => {
      const contents = readScheduleFile(this.file);
      if (edit(contents.groups)) writeScheduleFile(this.file, contents);
    });
  }

  public async listGroups(prefix: string): Promise<string[]> {
    await lock;
    return Object.keys(readScheduleFile(this.file).groups)
      .filter((g) => g.startsWith(prefix))
      .sort();
  }

  public ensureGroup(group: string): Promise<void> {
    return this.change((groups) => {
      if (groups[group]) return false;
      groups[group] = {};
      return true;
    });
  }

  public async listSchedules(group: string): Promise<ExistingSchedule[] | undefined> {
    await lock;
    const schedules = readScheduleFile(this.file).groups[group];
    return schedules && Object.entries(schedules).map(([name, s]) => ({ name, ...s }));
  }

  /** Writes the schedule whether or not it exists (`mode` only matters to Scheduler's API). */
  public put(group: string, schedule: CampaignSchedule, _mode?: 'create' | 'update'): Promise<void> {
    return this.change((groups) => {
      const schedules = groups[group];
      if (!schedules) throw new Error(`no schedule group ${group}`);
      const { name, ...stored } = schedule;
      schedules[name] = stored;
      return true;
    });
  }

  public deleteSchedule(group: string, name: string): Promise<void> {
    return this.change((groups) => {
      const schedules = groups[group];
      if (!schedules?.[name]) return false;
      delete schedules[name];
      return true;
    });
  }

  public deleteGroup(group: string): Promise<void> {
    return this.change((groups) => {
      if (!groups[group]) return false;
      delete groups[group];
      return true;
    });
  }
}
