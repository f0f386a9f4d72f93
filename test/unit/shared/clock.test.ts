import { installRuntimeClock, MovableClock, runtimeClock, systemClock } from '../../../shared/clock';

describe('Class: MovableClock', () => {
  afterEach(() => jest.useRealTimers());

  it('starts at the given instant and runs forward in real time', () => {
    jest.useFakeTimers().setSystemTime(new Date('2026-11-29T00:00:00Z'));
    const clock = new MovableClock(new Date('2021-09-24T15:59:00Z'));
    jest.advanceTimersByTime(60_000);
    expect(clock.now().toISOString()).toBe('2021-09-24T16:00:00.000Z');
  });

  it('moves forward and refuses to move backwards', () => {
    const clock = new MovableClock(new Date('2021-09-01T00:00:00Z'));
    clock.set(new Date('2021-10-22T16:00:00Z'));
    expect(clock.now().getTime()).toBeGreaterThanOrEqual(Date.parse('2021-10-22T16:00:00Z'));
    expect(() => clock.set(new Date('2021-09-01T00:00:00Z'))).toThrow(RangeError);
  });
});

describe('Object: runtimeClock', () => {
  it('reads the installed clock, else the system clock', () => {
    const before = runtimeClock.now().getTime();
    expect(Math.abs(before - systemClock.now().getTime())).toBeLessThan(1000);
    installRuntimeClock({ now: () => new Date('2021-09-11T00:00:00Z') });
    expect(runtimeClock.now().toISOString()).toBe('2021-09-11T00:00:00.000Z');
    installRuntimeClock(systemClock);
  });
});

describe('MovableClock, frozen', () => {
  it('stands still at the instant it was set to, until it is set again', async () => {
    const clock = new MovableClock(new Date('2021-09-24T15:00:00Z'));
    clock.set(new Date('2021-09-24T15:59:59.999Z'), { frozen: true });
    await new Promise((r) => setTimeout(r, 20));
    expect(clock.now().toISOString()).toBe('2021-09-24T15:59:59.999Z');
    expect(clock.frozen).toBe(true);
    expect(() => clock.set(new Date('2021-09-24T15:59:59.998Z'))).toThrow(RangeError);
    clock.set(new Date('2021-09-24T16:00:00Z'));
    expect(clock.frozen).toBe(false);
    await new Promise((r) => setTimeout(r, 20));
    expect(clock.now().getTime()).toBeGreaterThan(new Date('2021-09-24T16:00:00Z').getTime());
  });
});
