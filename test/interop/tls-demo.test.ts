// `npm start -- --tls-key FILE --tls-cert FILE`: the demo serves its page over
// https:// and echoes over wss://; a half-given or wrong pair stops it with a message.

import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { get as httpsGet } from 'node:https';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { makeTestCertificates, type TestCertificates } from './tls/test-certificates.js';

let certs: TestCertificates;
let child: ChildProcess | null = null;

beforeAll(() => {
  certs = makeTestCertificates();
});
afterAll(() => certs?.remove());
afterEach(() => {
  child?.kill('SIGKILL');
  child = null;
});

function spawnDemo(args: string[]): ChildProcess {
  child = spawn(process.execPath, ['--import', 'tsx', 'demo/server.ts', '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  return child;
}

/** Starts the demo with TLS and returns the port it printed. */
async function startTlsDemo(): Promise<number> {
  const demo = spawnDemo(['--tls-key', certs.localhost.keyPath, '--tls-cert', certs.localhost.certificatePath]);
  let output = '';
  for await (const chunk of demo.stdout!) {
    output += String(chunk);
    const match = /listening on https:\/\/127\.0\.0\.1:(\d+)\/.*wss:\/\//.exec(output);
    if (match) return Number(match[1]);
  }
  throw new Error(`demo exited without printing its address: ${output}`);
}

/** Runs the demo expecting it to refuse its arguments; returns its exit code and stderr. */
async function failingDemo(args: string[]): Promise<{ code: number | null; stderr: string }> {
  const demo = spawnDemo(args);
  let stderr = '';
  demo.stderr!.on('data', (chunk) => (stderr += String(chunk)));
  const [code] = (await once(demo, 'exit')) as [number | null];
  return { code, stderr };
}

function fetchPage(port: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    httpsGet({ host: '127.0.0.1', port, path: '/', servername: 'localhost', ca: certs.ca.certificate }, (response) => {
      let body = '';
      response.on('data', (chunk) => (body += String(chunk)));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    }).on('error', reject);
  });
}

describe('demo server with --tls-key and --tls-cert', () => {
  it('serves the page over https and echoes over wss, then stops on SIGINT', async () => {
    const port = await startTlsDemo();
    const page = await fetchPage(port);
    expect(page.status).toBe(200);
    expect(page.body).toContain('new WebSocket');

    const socket = new WebSocket(`wss://localhost:${port}/echo`, { ca: certs.ca.certificate });
    await once(socket, 'open');
    const replies: Array<[boolean, string]> = [];
    socket.on('message', (data, isBinary) => replies.push([isBinary, String(data)]));
    socket.send('hello over wss');
    socket.send(Buffer.from('bytes'));
    await expect.poll(() => replies.length).toBe(2);
    expect(replies).toEqual([
      [false, 'hello over wss'],
      [true, 'bytes'],
    ]);
    socket.close(1000);
    await once(socket, 'close');

    child!.kill('SIGINT');
    const [code] = await once(child!, 'exit');
    expect(code).toBe(0);
  });

  it('refuses a key without a certificate', async () => {
    const { code, stderr } = await failingDemo(['--tls-key', certs.localhost.keyPath]);
    expect(code).not.toBe(0);
    expect(stderr).toContain('--tls-key and --tls-cert go together');
  });

  it('refuses a key that does not belong to the certificate', async () => {
    const { code, stderr } = await failingDemo(['--tls-key', certs.selfSigned.keyPath, '--tls-cert', certs.localhost.certificatePath]);
    expect(code).not.toBe(0);
    expect(stderr).toContain('private key does not belong to its certificate');
  });
});
