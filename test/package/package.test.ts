/**
 * The published package, as a user gets it: build, `npm pack`, install the tarball into a fresh
 * project outside this repository, and use it from there (ESM import, CommonJS require, types,
 * and a token from the emulator shipped as `dwolla-openapi-client/emulator`). Also runs publint
 * and @arethetypeswrong/cli on the same build.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bin = (name: string) => path.join(root, 'node_modules', '.bin', name);
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

// npm run exports npm_* settings of this project (npm_package_*, lifecycle, prefix…) to its
// children; the temporary project must not inherit them. The cache stays shared.
const cleanEnv = Object.fromEntries(
  Object.entries(process.env).filter(
    ([k]) => !k.toLowerCase().startsWith('npm_') || k.toLowerCase() === 'npm_config_cache',
  ),
) as NodeJS.ProcessEnv;

async function sh(cmd: string, args: string[], cwd: string, timeout = 180_000) {
  try {
    return await run(cmd, args, { cwd, env: cleanEnv, timeout, maxBuffer: 64 * 1024 * 1024 });
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(
      `${cmd} ${args.join(' ')} failed in ${cwd}\n${e.stdout ?? ''}${e.stderr ?? ''}`,
      {
        cause: error,
      },
    );
  }
}

let tmp: string;
let app: string;
let tarball: string;
let packedFiles: string[];

beforeAll(async () => {
  await sh(npm, ['run', 'build'], root);
  tmp = await mkdtemp(path.join(os.tmpdir(), 'dwolla-openapi-client-pack-'));
  const { stdout } = await sh(npm, ['pack', '--json', '--pack-destination', tmp], root);
  const [packed] = JSON.parse(stdout) as [{ filename: string; files: { path: string }[] }];
  tarball = path.join(tmp, packed.filename);
  packedFiles = packed.files.map((f) => f.path).sort();

  app = path.join(tmp, 'app');
  await mkdir(app);
  await writeFile(
    path.join(app, 'package.json'),
    JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }, null, 2),
  );
  await sh(
    npm,
    ['install', tarball, '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'],
    app,
  );
}, 300_000);

afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

/** Runs a script file written into the consumer project; returns its stdout. */
async function runIn(file: string, source: string): Promise<string> {
  await writeFile(path.join(app, file), source);
  const { stdout } = await sh(process.execPath, [file], app, 60_000);
  return stdout.trim();
}

/** What each entry point must export, as `typeof` sees it from the installed package. */
const ENTRY_POINT_EXPORTS = {
  createDwollaClient: 'function',
  DwollaError: 'function',
  startEmulator: 'function',
  createNodeHttpFetch: 'function',
};

describe('the npm package', () => {
  it('holds only what users need: built code, declarations, the default spec', () => {
    expect(packedFiles).toContain('package.json');
    expect(packedFiles).toContain('README.md');
    expect(packedFiles).toContain('openapi/dwolla.yaml');
    for (const entry of ['index', 'emulator/index', 'transport/index']) {
      for (const ext of ['.js', '.cjs', '.d.ts', '.d.cts']) {
        expect(packedFiles).toContain(`dist/${entry}${ext}`);
      }
    }
    const allowed =
      /^(package\.json|README\.md|LICENSE(\.md)?|openapi\/dwolla\.yaml|dist\/.+\.(c?js|d\.c?ts))$/;
    expect(packedFiles.filter((f) => !allowed.test(f))).toEqual([]);
    expect(packedFiles.filter((f) => /(^|\/)(test|tests|fixtures|bench|src)\//.test(f))).toEqual(
      [],
    );
  });

  it("has a root entry point that needs no runtime dependency (the emulator and transport only node: ones besides the emulator's)", async () => {
    const pkg = path.join(app, 'node_modules/dwolla-openapi-client');
    const imports = async (file: string) => {
      const code = await readFile(path.join(pkg, file), 'utf8');
      const specifiers = [
        ...code.matchAll(/\bfrom\s*["']([^"']+)["']/g),
        ...code.matchAll(/\bimport\s*\(\s*["']([^"']+)["']\s*\)/g),
        ...code.matchAll(/\brequire\s*\(\s*["']([^"']+)["']\s*\)/g),
      ].map((m) => m[1]!);
      return [
        ...new Set(specifiers.filter((s) => !s.startsWith('node:') && !builtinModules.includes(s))),
      ].sort();
    };
    for (const file of [
      'dist/index.js',
      'dist/index.cjs',
      'dist/transport/index.js',
      'dist/transport/index.cjs',
    ]) {
      expect(await imports(file), file).toEqual([]);
    }
    const declared = Object.keys(
      (
        JSON.parse(await readFile(path.join(pkg, 'package.json'), 'utf8')) as {
          dependencies?: object;
        }
      ).dependencies ?? {},
    );
    for (const file of ['dist/emulator/index.js', 'dist/emulator/index.cjs']) {
      const bare = (await imports(file)).map((s) =>
        s
          .split('/')
          .slice(0, s.startsWith('@') ? 2 : 1)
          .join('/'),
      );
      expect(
        bare.filter((s) => !declared.includes(s)),
        file,
      ).toEqual([]);
    }
  });

  it('passes publint', async () => {
    const { stdout } = await sh(bin('publint'), ['--strict'], root);
    expect(stdout).toContain('All good!');
  }, 120_000);

  it('passes @arethetypeswrong/cli (node16 CJS and ESM, bundler)', async () => {
    // node10 resolution (TypeScript's legacy `moduleResolution: node`) cannot see "exports"
    // subpaths at all, so the node16 profile leaves it out; the root still resolves there.
    // attw exits non-zero on any problem in the profile; the JSON lists every problem found.
    const { stdout } = await sh(
      bin('attw'),
      [tarball, '--profile', 'node16', '--format', 'json'],
      root,
    );
    const report = JSON.parse(stdout) as {
      analysis: { problems: { kind: string; entrypoint?: string; resolutionKind?: string }[] };
    };
    const problems = report.analysis.problems;
    expect(problems.filter((p) => p.resolutionKind !== 'node10')).toEqual([]);
    // What node10 lacks is exactly the subpaths, nothing else.
    expect(problems.map((p) => `${p.kind} ${p.entrypoint}`).sort()).toEqual([
      'NoResolution ./emulator',
      'NoResolution ./transport',
    ]);
  }, 120_000);

  it('imports the root, ./emulator and ./transport as ES modules', async () => {
    const out = await runIn(
      'esm-import.mjs',
      `import * as root from 'dwolla-openapi-client';
import * as emulator from 'dwolla-openapi-client/emulator';
import * as transport from 'dwolla-openapi-client/transport';
console.log(JSON.stringify({
  createDwollaClient: typeof root.createDwollaClient,
  DwollaError: typeof root.DwollaError,
  startEmulator: typeof emulator.startEmulator,
  createNodeHttpFetch: typeof transport.createNodeHttpFetch,
  resolved: import.meta.resolve('dwolla-openapi-client'),
}));`,
    );
    const r = JSON.parse(out) as Record<string, string>;
    expect(r).toMatchObject(ENTRY_POINT_EXPORTS);
    expect(r.resolved).toContain('/node_modules/dwolla-openapi-client/dist/index.js');
  });

  it('requires the root (and subpaths) from CommonJS', async () => {
    const out = await runIn(
      'cjs-require.cjs',
      `const root = require('dwolla-openapi-client');
const emulator = require('dwolla-openapi-client/emulator');
const transport = require('dwolla-openapi-client/transport');
console.log(JSON.stringify({
  createDwollaClient: typeof root.createDwollaClient,
  DwollaError: typeof root.DwollaError,
  startEmulator: typeof emulator.startEmulator,
  createNodeHttpFetch: typeof transport.createNodeHttpFetch,
  resolved: require.resolve('dwolla-openapi-client'),
}));`,
    );
    const r = JSON.parse(out) as Record<string, string>;
    expect(r).toMatchObject(ENTRY_POINT_EXPORTS);
    expect(r.resolved).toMatch(/node_modules[\\/]dwolla-openapi-client[\\/]dist[\\/]index\.cjs$/);
  });

  it('gets a token from the emulator it ships (ESM, default spec, both transports)', async () => {
    const out = await runIn(
      'esm-token.mjs',
      `import { createDwollaClient } from 'dwolla-openapi-client';
import { startEmulator } from 'dwolla-openapi-client/emulator';
import { createNodeHttpFetch } from 'dwolla-openapi-client/transport';
const emu = await startEmulator({ key: 'pkg-key', secret: 'pkg-secret' });
try {
  const viaFetch = createDwollaClient({ key: 'pkg-key', secret: 'pkg-secret', baseUrl: emu.url });
  const fast = createNodeHttpFetch();
  const viaNodeHttp = createDwollaClient({ key: 'pkg-key', secret: 'pkg-secret', baseUrl: emu.url, fetch: fast });
  const a = await viaFetch.getAccessToken();
  const b = await viaNodeHttp.getAccessToken();
  fast.close();
  console.log(JSON.stringify({ a: typeof a, b: typeof b, differ: a !== b, tokens: emu.stats().tokenRequests }));
} finally {
  await emu.close();
}`,
    );
    expect(JSON.parse(out)).toEqual({ a: 'string', b: 'string', differ: true, tokens: 2 });
  });

  it('gets a token from the emulator from CommonJS too', async () => {
    const out = await runIn(
      'cjs-token.cjs',
      `const { createDwollaClient } = require('dwolla-openapi-client');
const { startEmulator } = require('dwolla-openapi-client/emulator');
(async () => {
  const emu = await startEmulator({ key: 'k', secret: 's' });
  try {
    const token = await createDwollaClient({ key: 'k', secret: 's', baseUrl: emu.url }).getAccessToken();
    console.log(typeof token, token.length > 0);
  } finally {
    await emu.close();
  }
})().catch((e) => { console.error(e); process.exit(1); });`,
    );
    expect(out).toBe('string true');
  });

  it('type-checks for TypeScript users of ESM and CommonJS (moduleResolution node16)', async () => {
    const common = {
      strict: true,
      module: 'node16',
      moduleResolution: 'node16',
      target: 'es2022',
      lib: ['es2023', 'dom'],
      types: [],
      noEmit: true,
      skipLibCheck: false,
    };
    await writeFile(
      path.join(app, 'use.mts'),
      `import { createDwollaClient, DwollaError, type DwollaClient } from 'dwolla-openapi-client';
import { startEmulator, type Emulator } from 'dwolla-openapi-client/emulator';
import { createNodeHttpFetch } from 'dwolla-openapi-client/transport';
export async function f(): Promise<string> {
  const emu: Emulator = await startEmulator({ key: 'k', secret: 's' });
  const c: DwollaClient = createDwollaClient({ key: 'k', secret: 's', baseUrl: emu.url, fetch: createNodeHttpFetch() });
  const e: unknown = new Error();
  if (e instanceof DwollaError) return e.message;
  return c.getAccessToken();
}
`,
    );
    await writeFile(
      path.join(app, 'use.cts'),
      `import { createDwollaClient, type DwollaClient } from 'dwolla-openapi-client';
export const make = (): DwollaClient => createDwollaClient({ key: 'k', secret: 's', environment: 'sandbox' });
`,
    );
    // @types/node for the declarations' node: imports, from this repository.
    await writeFile(
      path.join(app, 'tsconfig.json'),
      JSON.stringify(
        {
          compilerOptions: {
            ...common,
            types: ['node'],
            typeRoots: [path.join(root, 'node_modules/@types')],
          },
          files: ['use.mts', 'use.cts'],
        },
        null,
        2,
      ),
    );
    await sh(
      process.execPath,
      [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', '.'],
      app,
    );
  }, 120_000);
});
