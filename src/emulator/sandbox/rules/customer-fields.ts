import type { FieldProblem } from '../errors.js';

/**
 * The formats Dwolla checks on a customer's fields before anything else (developers.dwolla.com
 * "Create a customer": names of at most 50 characters without special characters, a two-letter
 * state, a five-digit or ZIP+4 postal code, a date of birth as YYYY-MM-DD of someone 18 or
 * older, the last four digits of the SSN or all nine; its errors page and staff answers:
 * `InvalidFormat` "Email invalid."). Dwolla's spec leaves them out, so the validator cannot.
 */

const NAME_SPECIALS = /[<>="`!?%~${}\\]/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const STATE = /^[A-Za-z]{2}$/;
const POSTAL_CODE = /^\d{5}(-\d{4})?$/;
const SSN = /^(\d{4}|\d{3}-?\d{2}-?\d{4})$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The date of birth as a UTC day, if it is a real YYYY-MM-DD date. */
function birthDay(value: string): Date | undefined {
  const match = DATE.exec(value);
  if (!match) return undefined;
  const [, y, m, d] = match.map(Number) as [number, number, number, number];
  const day = new Date(Date.UTC(y, m - 1, d));
  return day.getUTCMonth() === m - 1 && day.getUTCDate() === d ? day : undefined;
}

/** Whether someone born on `day` is 18 at `now` (epoch ms). */
function isAdult(day: Date, now: number): boolean {
  const eighteenth = new Date(day);
  eighteenth.setUTCFullYear(day.getUTCFullYear() + 18);
  return eighteenth.getTime() <= now;
}

/** What is wrong with the customer fields a request gives (those it does not give are the
 * schema's business), at the emulator clock's `now`. */
export function customerFieldProblems(given: Record<string, unknown>, now: number): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const text = (name: string) => (typeof given[name] === 'string' ? given[name] : undefined);
  for (const name of ['firstName', 'lastName']) {
    const value = text(name);
    if (value !== undefined && (value.length > 50 || NAME_SPECIALS.test(value))) {
      problems.push({
        code: 'Invalid',
        message: `${name} must be at most 50 characters, without <>="\`!?%~\${}\\.`,
        path: `/${name}`,
      });
    }
  }
  const checks: [string, RegExp, string][] = [
    ['email', EMAIL, 'Email invalid.'],
    ['state', STATE, 'State must be a two-letter abbreviation.'],
    ['postalCode', POSTAL_CODE, 'Postal code must be five digits or ZIP+4.'],
    ['ssn', SSN, 'SSN must be the last four digits or all nine.'],
  ];
  for (const [name, format, message] of checks) {
    const value = text(name);
    if (value !== undefined && !format.test(value)) {
      problems.push({ code: 'InvalidFormat', message, path: `/${name}` });
    }
  }
  const born = text('dateOfBirth');
  if (born !== undefined) {
    const day = birthDay(born);
    if (!day) {
      problems.push({
        code: 'InvalidFormat',
        message: 'DateOfBirth must be a date as YYYY-MM-DD.',
        path: '/dateOfBirth',
      });
    } else if (!isAdult(day, now)) {
      problems.push({
        code: 'Invalid',
        message: 'The customer must be at least 18 years old.',
        path: '/dateOfBirth',
      });
    }
  }
  return problems;
}
