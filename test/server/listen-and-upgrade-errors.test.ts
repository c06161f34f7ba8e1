// The error paths of PeerServer (behind WebSocketServer) and routeUpgrades: listen failures,
// refusals of upgrade requests that node:http hands over, and the head timer of keep-alive
// connections. Requests and sockets are stand-ins where node:http never produces the case.

import { EventEmitter } from 'node:events';
import { createServer as createHttpServer, type IncomingMessage } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Duplex } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { GodotError, WebSocketServer } from '../../src/index.js';
import { routeUpgrades, type UpgradeTarget } from '../../src/server/upgrade-router.js';
import { checkedInCertificates } from '../tls/support/checked-in-certificates.js';

/** A socket stand-in that records what is written and whether it was destroyed. */
class FakeSocket extends EventEmitter {
  written: Buffer[] = [];
  ended = false;
  destroyed = false;
  remoteAddress: string | undefined = undefined;
  end(data?: Buffer): void {
    if (data !== undefined) this.written.push(data);
    this.ended = true;
  }
  destroy(): void {
    this.destroyed = true;
  }
  get text(): string {
    return Buffer.concat(this.written).toString('latin1');
  }
}

function fakeRequest(fields: Partial<Record<'method' | 'url' | 'httpVersion', unknown>> & { rawHeaders?: string[] }): IncomingMessage {
  return { httpVersion: '1.1', rawHeaders: [], ...fields } as unknown as IncomingMessage;
}

const servers: WebSocketServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.stop()));
});

function newServer(): WebSocketServer {
  const server = new WebSocketServer();
  servers.push(server);
  return server;
}

describe('WebSocketServer.listen failures', () => {
  it('a second listen while the first is still binding is ERR_ALREADY_IN_USE, and the first still succeeds', async () => {
    const server = newServer();
    server.bindIp = '127.0.0.1';
    const first = server.listen(0);
    expect(await server.listen(0)).toBe(GodotError.ERR_ALREADY_IN_USE);
    expect(server.lastError?.message).toMatch(/already listening/);
    expect(await first).toBe(GodotError.OK);
    expect(server.isListening()).toBe(true);
  });

  it('an address this host does not have is ERR_CANT_CREATE with the reason', async () => {
    const server = newServer();
    // 192.0.2.0/24 is TEST-NET-1: never assigned to a local interface.
    expect(await server.listen({ port: 0, bindIp: '192.0.2.1' })).toBe(GodotError.ERR_CANT_CREATE);
    expect(server.lastError?.message).toMatch(/Cannot listen on 192\.0\.2\.1:0/);
    expect(server.isListening()).toBe(false);
    expect(server.getListeningPort()).toBe(0);
  });

  it('"*" listens on every interface', async () => {
    const server = newServer();
    expect(await server.listen({ port: 0, bindIp: '*' })).toBe(GodotError.OK);
    expect(server.getListeningPort()).toBeGreaterThan(0);
  });

  it('Godot 3 TLS fields that are not PEM are ERR_INVALID_DATA and nothing listens', async () => {
    const server = newServer();
    server.privateKey = 'not a key';
    server.sslCertificate = 'not a certificate';
    expect(await server.listen({ port: 0, bindIp: '127.0.0.1' })).toBe(GodotError.ERR_INVALID_DATA);
    expect(server.lastError?.code).toBe(GodotError.ERR_INVALID_DATA);
    expect(server.isListening()).toBe(false);
  });

  it('a key that does not belong to the certificate is ERR_INVALID_PARAMETER from the listener', async () => {
    const certificates = checkedInCertificates();
    const server = newServer();
    server.privateKey = certificates.otherName.key;
    server.sslCertificate = certificates.localhost.certificate;
    expect(await server.listen({ port: 0, bindIp: '127.0.0.1' })).toBe(GodotError.ERR_INVALID_PARAMETER);
    expect(server.lastError?.message).toMatch(/does not belong/);
    expect(server.isListening()).toBe(false);
  });
});

describe('WebSocketServer.handleUpgrade refusals', () => {
  it('answers a request without a method with an HTTP refusal and reports the failed handshake', () => {
    const server = newServer();
    const failures: Array<[string, string]> = [];
    server.on('handshakeFailed', (reason: string, address: string) => failures.push([reason, address]));
    const socket = new FakeSocket();
    server.handleUpgrade(fakeRequest({ method: undefined, url: undefined }), socket as unknown as Duplex, Buffer.alloc(0));
    expect(socket.ended).toBe(true);
    expect(socket.text).toMatch(/^HTTP\/1\.1 4\d\d /);
    expect(failures).toHaveLength(1);
    expect(failures[0]![1]).toBe('');
    // The refused socket keeps an error listener: a late reset does not crash the process.
    expect(() => socket.emit('error', new Error('ECONNRESET'))).not.toThrow();
    expect(server.getPeerIds()).toEqual([]);
  });

  it('while refusing new connections, destroys the socket without an answer', () => {
    const server = newServer();
    server.refuseNewConnections = true;
    const failures: string[] = [];
    server.on('handshakeFailed', (reason: string) => failures.push(reason));
    const socket = new FakeSocket();
    socket.remoteAddress = '10.0.0.7';
    server.handleUpgrade(fakeRequest({ method: 'GET', url: '/' }), socket as unknown as Duplex, Buffer.alloc(0));
    expect(socket.destroyed).toBe(true);
    expect(socket.written).toEqual([]);
    expect(failures).toEqual(['Refusing new connections']);
    expect(() => socket.emit('error', new Error('ECONNRESET'))).not.toThrow();
  });

  it('lets errors other than a refusal propagate', () => {
    const server = newServer();
    const socket = new FakeSocket();
    // No rawHeaders at all: not a request node:http would produce, so not answered as a refusal.
    const broken = { method: 'GET', httpVersion: '1.1', url: '/' } as unknown as IncomingMessage;
    expect(() => server.handleUpgrade(broken, socket as unknown as Duplex, Buffer.alloc(0))).toThrow(TypeError);
    expect(socket.written).toEqual([]);
  });
});

describe('routeUpgrades edge cases', () => {
  it('answers a request target that is not even a string with 400, and one without a url with a refusal', () => {
    const http = createHttpServer();
    routeUpgrades(http, {});
    const notString = new FakeSocket();
    http.emit('upgrade', fakeRequest({ url: 42 }), notString, Buffer.alloc(0));
    expect(notString.text).toMatch(/^HTTP\/1\.1 400 /);
    expect(notString.text).toMatch(/malformed request target/);
    const noUrl = new FakeSocket();
    http.emit('upgrade', fakeRequest({ url: undefined }), noUrl, Buffer.alloc(0));
    expect(noUrl.text).toMatch(/^HTTP\/1\.1 400 /);
  });

  it('drops the connection and tells onError when a target throws', () => {
    const http = createHttpServer();
    const errors: unknown[] = [];
    const boom = new Error('target failed');
    const target: UpgradeTarget = {
      handleUpgrade: () => {
        throw boom;
      },
    };
    routeUpgrades(http, { '/x': target }, { onError: (error) => errors.push(error) });
    const socket = new FakeSocket();
    http.emit('upgrade', fakeRequest({ url: '/x?q=1' }), socket, Buffer.alloc(0));
    expect(socket.destroyed).toBe(true);
    expect(errors).toEqual([boom]);
    // Without onError the connection is still dropped and nothing throws.
    const quiet = createHttpServer();
    routeUpgrades(quiet, { '/x': target });
    const other = new FakeSocket();
    expect(() => quiet.emit('upgrade', fakeRequest({ url: '/x' }), other, Buffer.alloc(0))).not.toThrow();
    expect(other.destroyed).toBe(true);
  });

  it('times heads on the TLS socket of an https server, and removes its listeners again', () => {
    const https = createHttpsServer();
    const before = https.listenerCount('secureConnection');
    const unroute = routeUpgrades(https, {});
    expect(https.listenerCount('secureConnection')).toBe(before + 1);
    unroute();
    expect(https.listenerCount('secureConnection')).toBe(before);
  });

  it('restarts the head timer once a keep-alive response finishes, and drops a connection that then stays silent', async () => {
    const http = createHttpServer();
    routeUpgrades(http, {}, { handshakeTimeoutMs: 20 });
    const socket = new FakeSocket();
    const response = new EventEmitter();
    http.emit('request', { socket } as unknown as IncomingMessage, response);
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(socket.destroyed).toBe(false); // no timer while the request is being answered
    response.emit('finish');
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(socket.destroyed).toBe(true);
  });

  it('starts no timer after a response on a connection that is already gone', async () => {
    const http = createHttpServer();
    routeUpgrades(http, {}, { handshakeTimeoutMs: 20 });
    const socket = new FakeSocket();
    const response = new EventEmitter();
    http.emit('request', { socket } as unknown as IncomingMessage, response);
    socket.destroyed = true;
    let destroyCalls = 0;
    socket.destroy = () => {
      destroyCalls++;
    };
    response.emit('finish');
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(destroyCalls).toBe(0);
  });
});
