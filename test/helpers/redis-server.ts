/**
 * A real redis-server on 127.0.0.1, started on a free port for one test file (redis-server has
 * no `--port 0`: a port is picked through node:net, and another one tried if it is taken), with
 * no persistence. `.ci/run` installs redis-server; a machine without it fails these tests.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createConnection, createServer, type AddressInfo } from 'node:net';
import { createClient } from 'redis';
import { afterAll, beforeAll } from 'vitest';

export const REDIS_SERVER = process.env.REDIS_SERVER ?? 'redis-server';

export interface RedisServer {
  port: number;
  url: string;
  /** SIGKILL: Redis vanishes mid-conversation, as in a crash. */
  kill(): Promise<void>;
  /** Starts it again on the same port (empty). */
  restart(): Promise<void>;
  /** SIGSTOP / SIGCONT: Redis keeps its connections but answers nothing (a slow Redis). */
  pause(): void;
  resume(): void;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** True once redis-server answers PING with +PONG on `port`. */
function pong(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => done(data.toString().startsWith('+PONG')));
  });
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Spawns redis-server on `port`; resolves once it answers, undefined if it exited first. */
async function spawnOn(port: number): Promise<ChildProcess | undefined> {
  const child = spawn(
    REDIS_SERVER,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const failed = new Promise<Error>((resolve) => child.once('error', resolve));
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const error = await Promise.race([failed, new Promise((r) => setTimeout(r, 20))]);
    if (error instanceof Error) {
      throw new Error(`cannot start ${REDIS_SERVER} (install redis-server): ${error.message}`);
    }
    if (child.exitCode !== null) return undefined;
    if (await pong(port)) return child;
  }
  child.kill('SIGKILL');
  throw new Error(`${REDIS_SERVER} did not answer PING on port ${port} within 10 s\n${stderr}`);
}

export async function startRedisServer(): Promise<RedisServer> {
  let child: ChildProcess | undefined;
  let port = 0;
  for (let attempt = 0; !child && attempt < 5; attempt++) {
    port = await freePort();
    child = await spawnOn(port);
  }
  if (!child) throw new Error(`${REDIS_SERVER} could not listen on a free port (5 tries)`);

  const kill = async () => {
    child?.kill('SIGKILL');
    if (child) await exited(child);
  };
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    kill,
    async restart() {
      await kill();
      child = await spawnOn(port);
      if (!child) throw new Error(`${REDIS_SERVER} could not listen again on port ${port}`);
    },
    pause: () => child?.kill('SIGSTOP'),
    resume: () => child?.kill('SIGCONT'),
    async stop() {
      child?.kill('SIGCONT');
      await kill();
    },
  };
}

export interface RedisForTests {
  server: RedisServer;
  /** A separate client for assertions (keys, TTLs, connections), outside the code under test. */
  admin: ReturnType<typeof createClient>;
}

/** Starts a redis-server and an admin client before this file's tests; stops both after. */
export function useRedisServer(): RedisForTests {
  const redis = {} as RedisForTests;
  beforeAll(async () => {
    redis.server = await startRedisServer();
    redis.admin = createClient({ url: redis.server.url });
    redis.admin.on('error', () => {});
    await redis.admin.connect();
  });
  afterAll(async () => {
    redis.admin?.destroy();
    await redis.server?.stop();
  });
  return redis;
}
