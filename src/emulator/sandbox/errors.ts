import { dwollaError, type Reply } from '../http/replies.js';

/** One field error in a ValidationError's `_embedded.errors`, as Dwolla lists them. */
export type FieldProblem = { code: string; message: string; path: string };

/**
 * A sandbox rule refusing a request, as Dwolla's error for it: the backend and its rules throw
 * these (knowing nothing of HTTP); the layer that answers requests renders them with `reply()`.
 * A new kind of refusal is a subclass here.
 */
export class SandboxError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Members beside `code` and `message` (`_embedded`, `_links`). */
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }

  override get name(): string {
    return this.constructor.name;
  }

  reply(): Reply {
    return dwollaError(this.status, this.code, this.message, this.extra);
  }
}

/** 404 NotFound: an id the sandbox never issued, or a parent that does not exist. */
export class NotFoundError extends SandboxError {
  constructor() {
    super(404, 'NotFound', 'The requested resource was not found.');
  }
}

/** 400 ValidationError listing what to fix (`path`: a JSON pointer into the request). */
export class ValidationError extends SandboxError {
  constructor(errors: FieldProblem[], message = 'Validation error(s) present.') {
    super(400, 'ValidationError', message, {
      _embedded: { errors: errors.map((e) => ({ ...e, _links: {} })) },
    });
  }
}
