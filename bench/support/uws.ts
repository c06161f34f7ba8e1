import { createRequire } from 'node:module';

/**
 * The optional reference: uWebSockets.js from @trufflesuite/uws-js-unofficial
 * (prebuilt binaries for some Node ABIs and platforms only). Typed here with
 * the few calls the benchmark makes, so the bench compiles without it.
 */
export interface UwsSocket {
  send(message: ArrayBuffer, isBinary: boolean): number;
}

export interface UwsApp {
  ws(pattern: string, behavior: {
    maxPayloadLength: number;
    maxBackpressure: number;
    idleTimeout: number;
    message: (socket: UwsSocket, message: ArrayBuffer, isBinary: boolean) => void;
  }): UwsApp;
  listen(host: string, port: number, callback: (listenSocket: unknown) => void): UwsApp;
}

export interface Uws {
  App(): UwsApp;
  us_socket_local_port(listenSocket: unknown): number;
}

let loaded: { uws: Uws | null; reason: string } | undefined;

/** uWebSockets.js, or null (see `uwsUnavailableReason`) when it does not load. */
export function loadUws(): Uws | null {
  if (loaded === undefined) {
    try {
      // uWS.js prints a warning and exits on some platforms: catch only what throws.
      loaded = { uws: createRequire(import.meta.url)('@trufflesuite/uws-js-unofficial') as Uws, reason: '' };
    } catch (error) {
      loaded = { uws: null, reason: (error as Error).message.split('\n')[0]! };
    }
  }
  return loaded.uws;
}

export function uwsUnavailableReason(): string {
  loadUws();
  return loaded?.reason ?? '';
}
