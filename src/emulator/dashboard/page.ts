import { html, type Html, type Part } from './html.js';
import type { DashboardView, Ref, Table } from './view.js';

export type PageOptions = {
  /** Where the dashboard is served (`/_dashboard`): its assets and buttons are below it. */
  prefix: string;
  /** The emulator's base URL, as its API answers it. */
  origin: string;
  /** Whether "Process bank transfers" can run (state kept, and the spec has the simulation). */
  canProcess: boolean;
};

/** A column: its heading and its cell for a row. */
type Column<Row> = [heading: string, cell: (row: Row) => Part];

/** `2026-12-02 10:00:00` (UTC) in a <time> element, from an ISO time. */
function time(iso: string): Html {
  const shown = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/.test(iso)
    ? iso.slice(0, 19).replace('T', ' ')
    : iso;
  return html`<time datetime="${iso}">${shown}</time>`;
}

/** A link to a row of the page; nothing when there is no such resource. */
const link = (ref: Ref | undefined): Part =>
  ref && html`<a href="#${encodeURIComponent(ref.anchor)}">${ref.label}</a>`;

/** A transfer's side: its funding source, and under it the customer who holds it. */
const party = (fundingSource: Ref | undefined, customer: Ref | undefined): Part => [
  link(fundingSource),
  customer && html`<span class="holder">${link(customer)}</span>`,
];

/** A status as a badge (its colour picked by the stylesheet from `data-status`). */
const status = (value: string | undefined): Part =>
  value && html`<span class="status" data-status="${value}">${value}</span>`;

/** A short form of a UUID for narrow cells; the full id in its title. */
const shortId = (id: string): Html => html`<code title="${id}">${id.slice(0, 8)}</code>`;

function section<Row extends object>(
  id: string,
  title: string,
  table: Table<Row>,
  columns: Column<Row>[],
  empty: string,
): Html {
  const more =
    table.total > table.rows.length
      ? html`<p class="more">The newest ${table.rows.length} of ${table.total}.</p>`
      : '';
  const body = table.rows.length
    ? html`<div class="table">
        <table>
          <thead>
            <tr>
              ${columns.map(([heading]) => html`<th scope="col">${heading}</th>`)}
            </tr>
          </thead>
          <tbody>
            ${table.rows.map(
              (row) =>
                html`<tr${'anchor' in row ? html` id="${String(row.anchor)}"` : ''}>
                  ${columns.map(([heading, cell]) => html`<td data-label="${heading}">${cell(row)}</td>`)}
                </tr>`,
            )}
          </tbody>
        </table>
      </div>`
    : html`<p class="empty">${empty}</p>`;
  return html`<section id="${id}" aria-labelledby="${id}-title">
    <h2 id="${id}-title">${title} <span class="count">${table.total}</span></h2>
    ${body}${more}
  </section>`;
}

function signature(verified: boolean | undefined): Part {
  if (verified === undefined) return html`<span class="muted">unknown</span>`;
  return verified
    ? html`<span class="ok">✓ verified</span>`
    : html`<span class="bad">✗ does not match</span>`;
}

/** Sections of the dashboard that change (the script swaps in a fresh copy of `<main>`). */
function main(view: DashboardView): Html {
  const stateless = view.stateful
    ? ''
    : html`<p class="notice">
        This emulator keeps no state (<code>state: false</code>): only the request log.
      </p>`;
  const sections = view.stateful
    ? [
        section(
          'customers',
          'Customers',
          view.customers,
          [
            ['Name', (c) => c.name],
            ['Type', (c) => c.type],
            ['Status', (c) => status(c.status)],
            ['Created', (c) => time(c.created)],
            ['Id', (c) => shortId(c.id)],
          ],
          'No customers yet.',
        ),
        section(
          'funding-sources',
          'Funding sources',
          view.fundingSources,
          [
            ['Name', (f) => f.name],
            ['Customer', (f) => link(f.customer) ?? html`<span class="muted">the account</span>`],
            ['Type', (f) => f.type],
            ['Status', (f) => status(f.status)],
            ['Removed', (f) => (f.removed ? html`<span class="bad">removed</span>` : 'no')],
            ['Created', (f) => time(f.created)],
          ],
          'No funding sources yet.',
        ),
        section(
          'transfers',
          'Transfers',
          view.transfers,
          [
            ['Amount', (t) => html`<span class="amount">${t.amount}</span>`],
            ['Status', (t) => status(t.status)],
            ['From', (t) => party(t.source, t.sourceCustomer)],
            ['To', (t) => party(t.destination, t.destinationCustomer)],
            ['Failure', (t) => (t.failureCode ? html`<code>${t.failureCode}</code>` : '')],
            ['Created', (t) => time(t.created)],
          ],
          'No transfers yet.',
        ),
        section(
          'events',
          'Events',
          view.events,
          [
            ['Time', (e) => time(e.created)],
            ['Topic', (e) => html`<code>${e.topic}</code>`],
            ['Resource', (e) => link(e.resource)],
            ['Customer', (e) => link(e.customer)],
          ],
          'No events yet.',
        ),
        section(
          'webhook-subscriptions',
          'Webhook subscriptions',
          view.subscriptions,
          [
            ['URL', (s) => html`<code>${s.url}</code>`],
            ['Paused', (s) => (s.paused ? html`<span class="bad">paused</span>` : 'no')],
            ['Created', (s) => time(s.created)],
            ['Id', (s) => shortId(s.id)],
          ],
          'No webhook subscriptions.',
        ),
        section(
          'webhooks',
          'Webhook deliveries',
          view.deliveries,
          [
            ['Time', (d) => time(d.created)],
            ['Topic', (d) => html`<code>${d.topic}</code>`],
            ['Event', (d) => link(d.event && { ...d.event, label: 'event' })],
            ['Subscription', (d) => link(d.subscription)],
            ['Status code', (d) => d.statusCode ?? html`<span class="muted">sending</span>`],
            ['Attempts', (d) => d.attempts],
            ['Signature', (d) => signature(d.signatureVerified)],
          ],
          'No webhook deliveries yet.',
        ),
      ]
    : [];
  const requests = section(
    'requests',
    'Recent requests',
    view.requests,
    [
      ['Time', (r) => time(r.time)],
      ['Method', (r) => html`<code>${r.method}</code>`],
      ['Path', (r) => html`<code class="path">${r.path}</code>`],
      ['Status', (r) => r.status ?? html`<span class="muted">open</span>`],
      [
        'Bodies',
        (r) =>
          r.body || r.responseBody
            ? html`<details data-key="${r.time} ${r.method} ${r.path}">
                <summary>${r.operationId ?? 'bodies'}</summary>
                <h3>Request</h3>
                <pre>${r.body || '(none)'}</pre>
                <h3>Response</h3>
                <pre>${r.responseBody || '(none)'}</pre>
              </details>`
            : (r.operationId ?? ''),
      ],
    ],
    'No requests yet.',
  );
  return html`<main id="main">${stateless}${sections}${requests}</main>`;
}

/** The whole page: readable as it is, the script only keeps it fresh and the buttons quick. */
export function renderPage(view: DashboardView, options: PageOptions): string {
  const { prefix } = options;
  const sections: [string, string, number][] = view.stateful
    ? [
        ['customers', 'Customers', view.customers.total],
        ['funding-sources', 'Funding sources', view.fundingSources.total],
        ['transfers', 'Transfers', view.transfers.total],
        ['events', 'Events', view.events.total],
        ['webhook-subscriptions', 'Subscriptions', view.subscriptions.total],
        ['webhooks', 'Deliveries', view.deliveries.total],
        ['requests', 'Requests', view.requests.total],
      ]
    : [['requests', 'Requests', view.requests.total]];
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>Dwolla emulator dashboard</title>
        <link rel="icon" href="data:," />
        <link rel="stylesheet" href="${prefix}/dashboard.css" />
        <script src="${prefix}/dashboard.js" defer></script>
      </head>
      <body>
        <header>
          <div class="title">
            <h1>Dwolla emulator</h1>
            <p><code>${options.origin}</code></p>
          </div>
          <p id="balance" class="balance">
            Balance
            <strong>${view.balance ?? html`<span class="muted">none</span>`}</strong>
          </p>
          <div class="actions">
            <form method="post" action="${prefix}/process">
              <button
                type="submit"
                ${options.canProcess ? '' : html` disabled title="This emulator keeps no state, or its spec has no POST /sandbox-simulations"`}
              >
                Process bank transfers
              </button>
            </form>
            <form method="post" action="${prefix}/reset">
              <button type="submit" class="secondary">Reset</button>
            </form>
          </div>
          <p id="live" class="live" role="status" aria-live="polite"></p>
        </header>
        <nav id="sections" aria-label="Sections">
          ${sections.map(
            ([id, label, count]) =>
              html`<a href="#${id}">${label} <span class="count">${count}</span></a>`,
          )}
        </nav>
        ${main(view)}
      </body>
    </html> `.markup;
}
