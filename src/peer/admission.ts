import { buildRefusalResponse, HandshakeRefusal } from '../handshake/index.js';

/** What a server's admission check sees of an upgrade request, before the 101 is sent. */
export interface AdmissionRequest {
  /** The URL the client asked for, e.g. `ws://host:9080/game?token=abc`. */
  url: string;
  /** Path and query (`/game?token=abc`). */
  resource: string;
  /** The request's headers, lower-case names. */
  headers: ReadonlyMap<string, string>;
  remoteAddress: string;
  remotePort: number;
  /** The subprotocol the server chose ('' for none). */
  protocol: string;
}

/**
 * The check's answer: `true` or `{ accept: true, data }` admits the peer,
 * and `data` stays on it as `peer.admission`; `false` refuses with 403;
 * `{ accept: false, status, reason, headers }` refuses with that HTTP
 * status (300-599), a plain-text reason and extra "Name: value" headers.
 */
export type AdmissionVerdict = boolean | { accept: true; data?: unknown } | { accept: false; status?: number; reason?: string; headers?: string[] };

/** May be async (e.g. checking a token); the handshake timeout still applies while it runs. */
export type AdmissionCheck = (request: AdmissionRequest) => AdmissionVerdict | Promise<AdmissionVerdict>;

export type AdmissionOutcome = { admitted: true; data: unknown } | { admitted: false; refusal: HandshakeRefusal };

/** Runs the check; a check that throws or answers something unusable refuses with 500, so a bug there never admits anyone. */
export async function runAdmission(check: AdmissionCheck, request: AdmissionRequest): Promise<AdmissionOutcome> {
  let verdict: AdmissionVerdict;
  try {
    verdict = await check(request);
  } catch (error) {
    return serverError(`the admission check failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (verdict === true) return { admitted: true, data: undefined };
  if (verdict === false) return refusal(403, 'the server did not admit this connection');
  if (typeof verdict !== 'object' || verdict === null || typeof verdict.accept !== 'boolean') {
    return serverError('the admission check returned neither a boolean nor { accept }');
  }
  if (verdict.accept) return { admitted: true, data: verdict.data };
  return refusal(verdict.status ?? 403, verdict.reason ?? 'the server did not admit this connection', verdict.headers);
}

function refusal(status: number, reason: string, headers?: string[]): AdmissionOutcome {
  try {
    return { admitted: false, refusal: new HandshakeRefusal(status, reason, buildRefusalResponse(status, reason, headers), headers) };
  } catch (error) {
    // A status outside 300-599 or a malformed header line: the check's bug, not the client's.
    return serverError(`the admission check's refusal is unusable: ${(error as Error).message}`);
  }
}

function serverError(reason: string): AdmissionOutcome {
  return { admitted: false, refusal: new HandshakeRefusal(500, reason, buildRefusalResponse(500, 'the server could not check this connection')) };
}
