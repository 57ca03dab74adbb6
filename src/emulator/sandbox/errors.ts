import type { HalLink } from '../answer/resource-links.js';
import { dwollaError, type Reply } from '../http/replies.js';

/** One field error in a ValidationError's `_embedded.errors`, as Dwolla lists them (`_links`:
 * what it is about, e.g. the customer that already has an email). */
export type FieldProblem = {
  code: string;
  message: string;
  path: string;
  _links?: Record<string, HalLink>;
};

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
      _embedded: { errors: errors.map((e) => ({ ...e, _links: e._links ?? {} })) },
    });
  }
}

/** 403 InvalidResourceState: the resource's state does not allow it (a retry of a customer not
 * in `retry`, a KBA session that expired). */
export class InvalidResourceStateError extends SandboxError {
  constructor(message = 'Resource cannot be modified.') {
    super(403, 'InvalidResourceState', message);
  }
}

/** 400 DuplicateResource, with `_links.about` the resource that already exists. */
export class DuplicateResourceError extends SandboxError {
  constructor(message: string, about: HalLink) {
    super(400, 'DuplicateResource', message, { _links: { about } });
  }
}

/** 400 MaxNumberOfResources: as many of a kind exist as may (webhook subscriptions). */
export class MaxNumberOfResourcesError extends SandboxError {
  constructor(message: string) {
    super(400, 'MaxNumberOfResources', message);
  }
}
