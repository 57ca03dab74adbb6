/**
 * Deadlines for exchanges in flight, on one timer per time limit rather than one per exchange:
 * a Node timer per call (created, inserted, cleared) costs a fast transport a measurable share of
 * its CPU per call, and much of the JIT's work to warm up. Exchanges with the same limit expire
 * in the order they started, so each limit keeps a FIFO list and one timer, armed for its oldest
 * entry. An entry that finishes leaves the list (O(1)); the timer is left as it is and, when it
 * fires, expires what is due and re-arms for the oldest entry left. The timer is `unref`'d: it
 * never keeps a process alive (a request in flight does, through its socket).
 */

/** One exchange with a deadline: `expire()` is called once the limit passed, if not removed first. */
export interface Expiring {
  expire(): void;
}

interface Entry {
  item: Expiring;
  deadline: number;
  prev: Entry | undefined;
  next: Entry | undefined;
}

/** The handle `add` gives, for `remove`. */
export type DeadlineHandle = object;

export class DeadlineList {
  readonly #ms: number;
  #head: Entry | undefined;
  #tail: Entry | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #timerAt = Infinity;

  constructor(ms: number) {
    this.#ms = ms;
  }

  add(item: Expiring): DeadlineHandle {
    const deadline = performance.now() + this.#ms;
    const entry: Entry = { item, deadline, prev: this.#tail, next: undefined };
    if (this.#tail) this.#tail.next = entry;
    else this.#head = entry;
    this.#tail = entry;
    if (this.#timerAt > deadline) this.#arm(deadline, this.#ms);
    return entry;
  }

  remove(handle: DeadlineHandle): void {
    const entry = handle as Entry;
    if (entry.prev) entry.prev.next = entry.next;
    else if (this.#head === entry) this.#head = entry.next;
    else return; // already out
    if (entry.next) entry.next.prev = entry.prev;
    else this.#tail = entry.prev;
    entry.prev = entry.next = undefined;
  }

  #arm(at: number, inMs: number): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timerAt = at;
    this.#timer = setTimeout(() => this.#fire(), Math.max(0, Math.ceil(inMs)));
    this.#timer.unref();
  }

  #fire(): void {
    this.#timer = undefined;
    this.#timerAt = Infinity;
    const now = performance.now();
    for (let entry = this.#head; entry !== undefined && entry.deadline <= now; entry = this.#head) {
      this.remove(entry);
      entry.item.expire();
    }
    if (this.#head) this.#arm(this.#head.deadline, this.#head.deadline - now);
  }
}

/** Every time limit's list, for one transport. */
export class Deadlines {
  readonly #lists = new Map<number, DeadlineList>();

  /** The list for `ms`: its `add(item)` calls `item.expire()` once `ms` passed, unless removed. */
  list(ms: number): DeadlineList {
    let list = this.#lists.get(ms);
    if (list === undefined) this.#lists.set(ms, (list = new DeadlineList(ms)));
    return list;
  }
}
