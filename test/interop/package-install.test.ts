// Installs gdws the way a user does: `npm pack` (which builds it on prepare), then `npm install`
// of the tarball in a fresh project, which then imports it as ESM, requires it from CommonJS and
// compiles a strict TypeScript file against its typings (skipLibCheck: false).
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

interface Run {
  stdout: string;
  stderr: string;
}

function run(command: string, args: string[], cwd: string, timeoutMs: number): Promise<Run> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { cwd, timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${command} ${args.join(' ')} failed: ${error.message}\n${stdout}\n${stderr}`));
      else resolve({ stdout, stderr });
    });
  });
}

// The README's snippets, put together so they end: a Godot 3 style echo server on a free
// loopback port, a Godot 4 style WebSocketPeer that sends 'hello' and reads the echo with
// `for await`, then a Godot 3 style WebSocketClient, then everything closes.
const snippet = (load: string): string => `${load}

const server = new WebSocketServer();
server.on('dataReceived', (id) => {
  const peer = server.getPeer(id);
  const packet = peer.getPacket();
  peer.send(packet, peer.wasStringPacket() ? WriteMode.TEXT : WriteMode.BINARY);
});

async function main() {
  if ((await server.listen({ port: 0, bindIp: '127.0.0.1' })) !== GodotError.OK) throw new Error(String(server.lastError?.message));
  const url = 'ws://127.0.0.1:' + server.getListeningPort() + '/';
  const results = [];

  const peer = new WebSocketPeer();
  if ((await peer.connectToUrl(url)) !== GodotError.OK) throw new Error(String(peer.lastError?.message));
  peer.sendText('hello');
  for await (const { data, isText } of peer) {
    results.push((isText ? 'text ' : 'binary ') + data.toString());
    peer.close(1000, 'done');
  }
  results.push('peer closed ' + peer.getCloseCode());

  const client = new WebSocketClient();
  const echoed = new Promise((resolve) => client.on('dataReceived', () => resolve(client.getPeer(1).getPacket().toString())));
  if ((await client.connectToUrl(url)) !== GodotError.OK) throw new Error(String(client.lastError?.message));
  client.getPeer(1).sendText('hi');
  results.push('client ' + (await echoed));
  const closed = new Promise((resolve) => client.on('connectionClosed', resolve));
  client.disconnectFromHost(1000, 'bye');
  await closed;

  server.stop();
  console.log(JSON.stringify(results));
}

main().then(() => process.exit(0), (error) => { console.error(error); process.exit(1); });
`;

const EXPECTED = ['text hello', 'peer closed 1000', 'client hi'];

// The same, typed, for the strict TypeScript check (compiled only).
const typedSnippet = `import { WebSocketServer, WebSocketClient, WebSocketPeer, WriteMode, GodotError, TLSOptions, CryptoKey, type PeerOptions } from 'gdws';
import { createServer } from 'node:http';

const server = new WebSocketServer();
server.on('clientConnected', (id: number, protocol: string) => console.log('hello', id, protocol));
server.on('dataReceived', (id: number) => {
  const peer = server.getPeer(id)!;
  const packet: Buffer = peer.getPacket();
  peer.send(packet, peer.wasStringPacket() ? WriteMode.TEXT : WriteMode.BINARY);
});
const listening: GodotError = await server.listen(9080);

const client = new WebSocketClient();
client.on('dataReceived', () => console.log(client.getPeer(1)!.getPacket().toString()));
if ((await client.connectToUrl('ws://127.0.0.1:9080/')) === GodotError.OK) {
  client.getPeer(1)!.sendText('hi');
}

const peer = new WebSocketPeer();
await peer.connectToUrl('ws://127.0.0.1:9080/');
peer.sendText('hello');
for await (const { data, isText } of peer) console.log(isText ? data.toString() : data);

const httpServer = createServer();
httpServer.on('upgrade', (req, socket, head) => server.handleUpgrade(req, socket, head));

const options: Partial<PeerOptions> = {};
const key: CryptoKey | null = TLSOptions.clientUnsafe().getPrivateKey();
console.log(listening, options, key);
`;

describe('the npm package, installed from its tarball', () => {
  let work: string;
  let app: string;

  beforeAll(async () => {
    work = await mkdtemp(path.join(tmpdir(), 'gdws-package-'));
    const packDir = path.join(work, 'pack');
    app = path.join(work, 'app');
    await mkdir(packDir);
    await mkdir(app);
    // `npm pack` runs the prepare script, which builds dist/package from src.
    await run('npm', ['pack', '--pack-destination', packDir], root, 180_000);
    const tarball = (await readdir(packDir)).find((name) => name.endsWith('.tgz'));
    if (tarball === undefined) throw new Error('npm pack made no tarball');
    await writeFile(path.join(app, 'package.json'), JSON.stringify({ name: 'gdws-consumer', private: true, type: 'module' }, null, 2));
    // gdws has no runtime dependencies, so this needs no registry.
    await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', path.join(packDir, tarball)], app, 120_000);
  }, 300_000);

  afterAll(async () => {
    if (work !== undefined) await rm(work, { recursive: true, force: true });
  });

  it('holds the built JavaScript, declarations, README and LICENSE, and no sources or source maps', async () => {
    const installed = path.join(app, 'node_modules', 'gdws');
    const top = await readdir(installed);
    expect(top).toEqual(expect.arrayContaining(['LICENSE', 'README.md', 'package.json', 'dist']));
    const files = (await readdir(path.join(installed, 'dist', 'package'), { recursive: true })).map(String);
    expect(files).toEqual(expect.arrayContaining(['index.js', 'index.d.ts', path.join('peer', 'websocket-peer.js')]));
    expect(files.filter((file) => file.endsWith('.map') || (file.endsWith('.ts') && !file.endsWith('.d.ts')))).toEqual([]);
  });

  it('import: ESM runs the README snippets for real', async () => {
    await writeFile(path.join(app, 'esm.mjs'), snippet("import { WebSocketServer, WebSocketClient, WebSocketPeer, WriteMode, GodotError } from 'gdws';"));
    const { stdout, stderr } = await run(process.execPath, ['esm.mjs'], app, 20_000);
    expect(JSON.parse(stdout.trim())).toEqual(EXPECTED);
    expect(stderr).toBe('');
  });

  it('require: CommonJS runs them too (require(esm), unflagged and without warnings from Node 20.19)', async () => {
    await writeFile(path.join(app, 'cjs.cjs'), snippet("const { WebSocketServer, WebSocketClient, WebSocketPeer, WriteMode, GodotError } = require('gdws');"));
    const { stdout, stderr } = await run(process.execPath, ['cjs.cjs'], app, 20_000);
    expect(JSON.parse(stdout.trim())).toEqual(EXPECTED);
    expect(stderr).toBe('');
  });

  it('types: a strict TypeScript project (skipLibCheck: false) compiles the README snippets', async () => {
    // TypeScript and @types/node come from this repository's node_modules instead of the registry.
    await mkdir(path.join(app, 'node_modules', '@types'), { recursive: true });
    await symlink(path.join(root, 'node_modules', '@types', 'node'), path.join(app, 'node_modules', '@types', 'node'), 'dir');
    await writeFile(path.join(app, 'tsconfig.json'), JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        strict: true,
        skipLibCheck: false,
        noEmit: true,
        types: [],
      },
      include: ['snippets.ts'],
    }, null, 2));
    await writeFile(path.join(app, 'snippets.ts'), typedSnippet);
    const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    const { stdout } = await run(process.execPath, [tsc, '-p', 'tsconfig.json'], app, 120_000);
    expect(stdout).toBe('');
  });
});
