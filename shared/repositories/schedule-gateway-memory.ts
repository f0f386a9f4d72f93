/**
 * A {@link ScheduleGateway} in memory (tests, tools): groups of schedules in maps, every call
 * recorded in `calls`, so a test can assert what a sync changed and that a second one changes
 * nothing.
 */
import type { CampaignSchedule, ExistingSchedule, ScheduleGateway } from './schedule-gateway';

export class MemoryScheduleGateway implements ScheduleGateway {
  public readonly groups = new Map<string, Map<string, ExistingSchedule>>();
  /** `<operation> <group>[/<name>]`, in call order; reads are not recorded. */
  public readonly calls: string[] = [];

  public async listGroups(prefix: string): Promise<string[]> {
    return [...this.groups.keys()].filter((g) => g.startsWith(prefix)).sort();
  }

  public async ensureGroup(group: string): Promise<void> {
    if (this.groups.has(group)) return;
    this.calls.push(`createGroup ${group}`);
    this.groups.set(group, new Map());
  }

  public async listSchedules(group: string): Promise<ExistingSchedule[] | undefined> {
    const schedules = this.groups.get(group);
    return schedules && [...schedules.values()].map((s) => structuredClone(s));
  }

  public async put(group: string, schedule: CampaignSchedule, mode: 'create' | 'update'): Promise<void> {
    const schedules = this.groups.get(group);
    if (!schedules) throw new Error(`no schedule group ${group}`);
    this.calls.push(`${schedules.has(schedule.name) ? 'update' : 'create'} ${group}/${schedule.name}`);
    if (mode === 'create' && schedules.has(schedule.name)) this.calls.push(`(create fell back to update) ${group}/${schedule.name}`);
    schedules.set(schedule.name, structuredClone({ ...schedule }));
  }

  public async deleteSchedule(group: string, name: string): Promise<void> {
    if (this.groups.get(group)?.delete(name)) this.calls.push(`delete ${group}/${name}`);
  }

  public async deleteGroup(group: string): Promise<void> {
    if (this.groups.delete(group)) this.calls.push(`deleteGroup ${group}`);
  }

  /** Every schedule of every group, `<group>/<name>`, sorted. */
  public names(): string[] {
    return [...this.groups].flatMap(([g, s]) => [...s.keys()].map((n) => `${g}/${n}`)).sort();
  }
}
