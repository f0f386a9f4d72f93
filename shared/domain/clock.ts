/**
 * The clock port. Domain rules and use cases take a {@link Clock}; they never call
 * the system time themselves, so tests and the local runtime can move time.
 */
export interface Clock {
  /** The current instant (a UTC `Date`; zones are applied only at the edges). */
  now(): Date;
}

/** A clock stopped at `instant` (tests). */
export const fixedClock = (instant: Date | string): Clock => {
  const at = new Date(instant);
  return { now: () => new Date(at) };
};
