/** One stored resource: its body as the API answers it, plus what the emulator keeps beside it. */
export type StoredResource = {
  /** Its collection, e.g. `customers`. */
  type: string;
  /** Its id, the last segment of its URL. */
  id: string;
  /** The body GET answers (validated against the spec when it was stored). */
  body: Record<string, unknown>;
  /** `type/id` of the resource it was created under, if any (a customer, for its funding sources). */
  parent?: string;
  /** `type/id` of every stored resource it relates to: its parent, what its links point at, and
   * their parents (a transfer relates to both funding sources and both customers). */
  relations: string[];
  /** What the API never answers but the emulator needs (a webhook subscription's secret). */
  secret?: string;
  /** What a family's rules remember about it that the API never answers (a customer's status
   * before it was deactivated, when a KBA session's questions were read). */
  memo?: Record<string, unknown>;
  /** Emulator clock (epoch ms) when it was stored. */
  createdAt: number;
};

/** A copy of the emulator's state, for `emu.state()` and `startEmulator({ initialState })`. */
export type EmulatorState = {
  /** The emulator URL the links in these bodies point at (rewritten when seeding another one). */
  origin: string;
  /** Oldest first. */
  resources: StoredResource[];
};

/** The emulator's `stateLimits` option: how much state it keeps (oldest dropped first). */
export type StateLimits = {
  /** Stored resources of all types but events and webhook deliveries (default 10,000). */
  resources?: number;
  /** Stored events (default 10,000). */
  events?: number;
  /** Stored webhook deliveries and their manual retries together (default 1,000); also the
   * deliveries waiting to be sent or retried. */
  deliveries?: number;
  /** Webhook delivery attempts kept in the deliveries' `attempts`, all deliveries together
   * (default 10,000): past it the oldest attempt is dropped from its delivery. */
  attempts?: number;
  /** Access tokens issued and not yet forgotten (default 10,000): past it the oldest issued is
   * forgotten, and answers 401 InvalidAccessToken. */
  tokens?: number;
};

export const DEFAULT_LIMITS: Required<StateLimits> = {
  resources: 10_000,
  events: 10_000,
  deliveries: 1_000,
  attempts: 10_000,
  tokens: 10_000,
};

/** What the store caps: each stored type counts as one of these. */
export type StoredKind = 'resources' | 'events' | 'deliveries';

export type Store = {
  get(type: string, id: string): StoredResource | undefined;
  /** By a link's href on this emulator (`<origin>/<type>/<id>`). */
  byHref(href: unknown): StoredResource | undefined;
  put(resource: StoredResource): void;
  remove(type: string, id: string): void;
  /** Of one type, newest first. */
  list(type: string): StoredResource[];
  snapshot(origin: string): EmulatorState;
  load(state: EmulatorState, origin: string): void;
  clear(): void;
  /** Starts a transaction: until `commit()` or `rollback()`, what is put is seen at once and
   * undone by a rollback, what is removed is hidden and removed by the commit; caps apply at the
   * commit. For a synchronous step (nothing else runs before it ends). */
  begin(): Transaction;
};

export type Transaction = { commit(): void; rollback(): void };

/**
 * Resources by type, in insertion order. Each kind has a cap (events, deliveries, the rest):
 * past it the oldest of that kind is dropped, so memory stays bounded however long it runs.
 */
export function createStore(
  origin: () => string,
  kindOf: (type: string) => StoredKind,
  limits: StateLimits = {},
): Store {
  const caps = { ...DEFAULT_LIMITS, ...limits };
  const byType = new Map<string, Map<string, StoredResource>>();
  const counts = { resources: 0, events: 0, deliveries: 0 };
  const order: Record<StoredKind, Map<string, StoredResource>> = {
    resources: new Map(),
    events: new Map(),
    deliveries: new Map(),
  };
  const key = (r: { type: string; id: string }) => `${r.type}/${r.id}`;
  /** The transaction under way: how to undo what it put, and what it removed. */
  type Journal = { undo: (() => void)[]; removed: Set<string> };
  let journal: Journal | undefined;
  const hidden = (type: string, id: string) => journal?.removed.has(`${type}/${id}`) === true;

  /** Drops the oldest of a kind while it is over its cap. */
  function evict(kind: StoredKind): void {
    while (counts[kind] > caps[kind]) {
      const oldest = order[kind].values().next().value!;
      remove(oldest.type, oldest.id);
    }
  }

  function remove(type: string, id: string): void {
    const items = byType.get(type);
    if (!items?.delete(id)) return;
    const kind = kindOf(type);
    counts[kind]--;
    order[kind].delete(`${type}/${id}`);
  }

  const store: Store = {
    get: (type, id) => (hidden(type, id) ? undefined : byType.get(type)?.get(id)),
    byHref(href) {
      if (typeof href !== 'string' || !href.startsWith(origin() + '/')) return undefined;
      const [type, id] = href.slice(origin().length + 1).split(/[/?#]/);
      return type && id ? store.get(type, decodeURIComponent(id)) : undefined;
    },
    put(resource) {
      const kind = kindOf(resource.type);
      let items = byType.get(resource.type);
      if (!items) byType.set(resource.type, (items = new Map()));
      const k = key(resource);
      const was = items.get(resource.id);
      if (!was) counts[kind]++;
      items.set(resource.id, resource);
      order[kind].set(k, resource);
      if (!journal) return evict(kind);
      journal.removed.delete(k);
      const undo = was
        ? () => {
            items.set(was.id, was);
            order[kind].set(k, was);
          }
        : () => remove(resource.type, resource.id);
      journal.undo.push(undo);
    },
    remove(type, id) {
      if (journal) journal.removed.add(`${type}/${id}`);
      else remove(type, id);
    },
    list(type) {
      const items = [...(byType.get(type)?.values() ?? [])].reverse();
      return journal?.removed.size ? items.filter((r) => !hidden(r.type, r.id)) : items;
    },
    snapshot(at) {
      const all = [...byType.values()].flatMap((items) => [...items.values()]);
      all.sort((a, b) => a.createdAt - b.createdAt);
      return { origin: at, resources: structuredClone(all) };
    },
    load(state, at) {
      store.clear();
      const moved = rewriteOrigin(structuredClone(state.resources), state.origin, at);
      for (const resource of moved) store.put(resource);
    },
    clear() {
      byType.clear();
      for (const kind of Object.keys(counts) as StoredKind[]) {
        counts[kind] = 0;
        order[kind].clear();
      }
    },
    begin() {
      if (journal) throw new Error('A store transaction is already under way');
      const mine: Journal = { undo: [], removed: new Set() };
      journal = mine;
      const end = () => {
        if (journal !== mine) throw new Error('This store transaction has ended');
        journal = undefined;
      };
      return {
        commit() {
          end();
          for (const k of mine.removed) remove(...splitKey(k));
          for (const kind of Object.keys(counts) as StoredKind[]) evict(kind);
        },
        rollback() {
          end();
          for (const undo of mine.undo.reverse()) undo();
        },
      };
    },
  };
  return store;
}

/** The href of a stored resource: its `_links.self`, else `<origin>/<type>/<id>`. */
export function selfHref(r: StoredResource, origin: string): string {
  const self = (r.body._links as Record<string, { href?: unknown }> | undefined)?.self?.href;
  return typeof self === 'string' ? self : `${origin}/${r.type}/${r.id}`;
}

/** `type/id` (a parent or relation key) as [type, id]. */
export function splitKey(key: string | undefined): [string, string] {
  const at = (key ?? '').indexOf('/');
  return at < 0 ? ['', ''] : [key!.slice(0, at), key!.slice(at + 1)];
}

/** Links in a snapshot point at the emulator that took it; seeding another rewrites them. */
function rewriteOrigin<T>(value: T, from: string, to: string): T {
  if (!from || from === to) return value;
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return v.startsWith(from + '/') ? to + v.slice(from.length) : v;
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') {
      return Object.fromEntries(Object.entries(v).map(([k, item]) => [k, walk(item)]));
    }
    return v;
  };
  return walk(value) as T;
}
