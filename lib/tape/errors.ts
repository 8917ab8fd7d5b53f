/**
 * Errors raised while reading or replaying a tape. They always name where the
 * problem is: the file (or source name), the 1-based line and the field.
 *
 * @module
 */

/** Where an event came from: a file (or stream name) and a 1-based line number. */
export interface SourcePosition {
  readonly file: string;
  readonly line: number;
}

/** A tape that cannot be read or replayed as written. */
export class TapeError extends Error {
  readonly file: string;
  readonly line: number;
  readonly field: string;
  readonly detail: string;

  constructor(position: SourcePosition, field: string, detail: string) {
    super(`${position.file}:${position.line}: field "${field}": ${detail}`);
    this.name = "TapeError";
    this.file = position.file;
    this.line = position.line;
    this.field = field;
    this.detail = detail;
  }
}
