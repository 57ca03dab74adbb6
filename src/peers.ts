import { createRequire } from 'node:module';

/**
 * Optional peer packages: the client (package root) needs none; each other entry point names the
 * libraries it runs on in package.json's `peerDependencies` (all optional), and users install
 * only those of the entry points they use.
 *
 * Peers are loaded with `require` (all of them ship CommonJS), never with a static `import`: an
 * ES module's static imports are resolved before any of its code runs, so a missing package
 * would fail with Node's bare "Cannot find package" for the first one it tried instead of the
 * message below, which names every missing package of the entry point and how to install them.
 */
const load = createRequire(import.meta.url);

/** The installed peer names among `names` that do not resolve, in the given order. */
function missing(names: readonly string[]): string[] {
  return names.filter((name) => {
    try {
      load.resolve(name);
      return false;
    } catch {
      return true;
    }
  });
}

/**
 * Checks that an entry point's peer packages are installed, throwing an error that names the
 * missing ones if not; returns {@link peer} to load them with. Call it at the top level of a
 * module that the entry point's peer-loading modules import (a used binding, so bundlers keep it).
 */
export function requirePeers(entryPoint: string, names: readonly string[]): typeof peer {
  const absent = missing(names);
  if (absent.length === 0) return peer;
  throw new Error(
    `${entryPoint} needs ${absent.length === 1 ? 'a package that is' : 'packages that are'} ` +
      `not installed: ${absent.join(', ')}. Install ${absent.length === 1 ? 'it' : 'them'} with: ` +
      `npm install ${absent.join(' ')}`,
  );
}

/** Loads a peer package (or a file in it), e.g. `peer<typeof Yaml>('yaml')`. */
export function peer<T>(specifier: string): T {
  return load(specifier) as T;
}
