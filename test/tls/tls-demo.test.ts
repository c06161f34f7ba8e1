// `npm start -- --tls-key FILE --tls-cert FILE`: the demo serves its page over
// https:// and echoes over wss://; a half-given or wrong pair stops it with a message.

import { get as httpsGet } from 'node:https';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { echoTextAndBinary } from '../demo/support/demo-echo.js';
import { interruptDemo, useDemoLauncher, type RunningDemo } from '../demo/support/demo-process.js';
import { useTestCertificates } from './support/use-test-certificates.js';

const certs = useTestCertificates();
const launcher = useDemoLauncher();

/** Starts the demo with TLS: it must say it serves https:// and wss://. */
async function startTlsDemo(): Promise<RunningDemo> {
  const demo = await launcher.start(['--tls-key', certs.localhost.keyPath, '--tls-cert', certs.localhost.certificatePath]);
  expect(demo.banner).toMatch(/listening on https:\/\/127\.0\.0\.1:\d+\/.*wss:\/\//);
  return demo;
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
    const { process: demo, port } = await startTlsDemo();
    const page = await fetchPage(port);
    expect(page.status).toBe(200);
    expect(page.body).toContain('new WebSocket');

    const replies = await echoTextAndBinary(new WebSocket(`wss://localhost:${port}/echo`, { ca: certs.ca.certificate }), 'hello over wss');
    expect(replies).toEqual([
      [false, 'hello over wss'],
      [true, 'bytes'],
    ]);

    expect(await interruptDemo(demo)).toBe(0);
  });

  it('refuses a key without a certificate', async () => {
    const { code, stderr } = await launcher.refuse(['--tls-key', certs.localhost.keyPath]);
    expect(code).not.toBe(0);
    expect(stderr).toContain('--tls-key and --tls-cert go together');
  });

  it('refuses a key that does not belong to the certificate', async () => {
    const { code, stderr } = await launcher.refuse(['--tls-key', certs.selfSigned.keyPath, '--tls-cert', certs.localhost.certificatePath]);
    expect(code).not.toBe(0);
    expect(stderr).toContain('private key does not belong to its certificate');
  });
});
