import { HAL_JSON } from '../http/replies.js';
import type { HalLink } from './resource-links.js';
import { singular } from './resource-links.js';

/**
 * The links of the API root (`GET /`), as Dwolla's root lists what a token can reach: `account`
 * (`/accounts/<accountId>`) when the spec has `GET /accounts/{id}`, and every collection the spec
 * lets you GET without parameters (`customers`, `events`, `webhook-subscriptions`, …), named by
 * its path. `getPaths`: the path templates that have a GET operation. Every link is on `origin`
 * and leads to a GET operation of the spec.
 */
export function rootLinks(
  getPaths: Iterable<string>,
  origin: string,
  accountId: string,
): Record<string, HalLink> {
  const links: Record<string, HalLink> = {};
  const link = (path: string, resourceType: string): HalLink => ({
    href: origin + path,
    type: HAL_JSON,
    'resource-type': resourceType,
  });
  const paths = [...getPaths];
  if (paths.some((p) => /^\/accounts\/\{[^/}]+\}$/.test(p))) {
    links.account = link(`/accounts/${accountId}`, 'account');
  }
  for (const path of paths.sort()) {
    const collection = /^\/([^/{}]+)$/.exec(path)?.[1];
    if (collection) links[collection] = link(path, singular(collection));
  }
  return links;
}
