/**
 * Reads environment variables strictly: a variable that is unset gets its default, one that is set
 * must hold a valid value (an empty value is not "unset"). Every problem is collected, so start-up
 * fails once, naming each variable.
 */
export class EnvReader {
  readonly problems: string[] = [];

  constructor(private readonly env: NodeJS.ProcessEnv) {}

  /**
   * The value, or undefined when unset; empty or with control characters is a problem (line breaks
   * and tabs excepted: a PEM key spans lines).
   */
  text(name: string): string | undefined {
    const value = this.env[name];
    if (value === undefined) return undefined;
    if (value.trim() === '') return this.problem(name, 'is set but empty; unset it or give it a value');
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(value))
      return this.problem(name, 'contains control characters');
    return value;
  }

  integer(name: string, fallback: number, min: number, max: number): number {
    const value = this.text(name);
    if (value === undefined) return fallback;
    const number = /^\d+$/.test(value) ? Number(value) : NaN;
    if (!(number >= min && number <= max)) {
      return this.problem(name, `must be a whole number from ${min} to ${max}, not "${value}"`) ?? fallback;
    }
    return number;
  }

  flag(name: string): boolean {
    const value = this.text(name);
    if (value === undefined || value === '0') return false;
    if (value === '1') return true;
    return this.problem(name, `must be 1 or 0, not "${value}"`) ?? false;
  }

  url(name: string, protocols: string[]): string | undefined {
    const value = this.text(name);
    if (value === undefined) return undefined;
    let protocol: string | undefined;
    try {
      protocol = new URL(value).protocol;
    } catch {
      protocol = undefined;
    }
    if (!protocol || !protocols.includes(protocol)) {
      return this.problem(name, `must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}`);
    }
    return value;
  }

  /** A date and time with its zone (ISO 8601, e.g. 2027-01-31T00:00:00Z) that has not passed. */
  futureDate(name: string, now = new Date()): Date | undefined {
    const value = this.text(name);
    if (value === undefined) return undefined;
    const date = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$/.test(value)
      ? new Date(value)
      : new Date(NaN);
    if (Number.isNaN(date.getTime())) {
      return this.problem(
        name,
        `must be a date and time with its zone, such as 2027-01-31T00:00:00Z, not "${value}"`,
      );
    }
    if (date <= now) return this.problem(name, `is ${value}, which has passed; set a date in the future`);
    return date;
  }

  /** Throws one error naming every variable with a problem. */
  check(): void {
    if (this.problems.length > 0) {
      throw new Error(`Invalid environment: ${this.problems.join('; ')}.`);
    }
  }

  private problem(name: string, what: string): undefined {
    this.problems.push(`${name} ${what}`);
    return undefined;
  }
}
