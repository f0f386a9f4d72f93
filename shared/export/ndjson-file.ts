/**
 * A file of JSON lines written in writes of about a megabyte: what the export stages through
 * (workspace.ts, one per table; table-copy-source.ts, one per reader). JS holds at most
 * FLUSH_BYTES of lines per file.
 */
import { closeSync, openSync, writeSync } from 'node:fs';

/** Bytes of lines buffered before they are written. */
export const FLUSH_BYTES = 1 << 20;

export class NdjsonFile {
  private lines: string[] = [];
  private buffered = 0;
  private fd: number | undefined;
  private appended = 0;

  public constructor(public readonly path: string) {
    this.fd = openSync(path, 'w');
  }

  /** Appends one line (`line` holds no newline: JSON.stringify's output). */
  public append(line: string): void {
    if (this.fd === undefined) throw new Error(`${this.path}: already closed`);
    this.lines.push(line);
    this.buffered += line.length + 1;
    this.appended += 1;
    if (this.buffered >= FLUSH_BYTES) this.flush();
  }

  /** Lines appended so far. */
  public get count(): number {
    return this.appended;
  }

  /** Writes what is buffered and closes the file (again: nothing). */
  public close(): void {
    if (this.fd === undefined) return;
    try {
      this.flush();
    } finally {
      closeSync(this.fd);
      this.fd = undefined;
    }
  }

  private flush(): void {
    if (this.lines.length === 0 || this.fd === undefined) return;
    writeSync(this.fd, `${this.lines.join('\n')}\n`);
    this.lines = [];
    this.buffered = 0;
  }
}
