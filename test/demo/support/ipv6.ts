import { once } from 'node:events';
import { createServer } from 'node:net';

/** Whether this machine has an IPv6 loopback to listen on (tests that need ::1 skip without one). */
export async function canListenOnIpv6Loopback(): Promise<boolean> {
  const server = createServer();
  try {
    server.listen(0, '::1');
    await once(server, 'listening');
    return true;
  } catch {
    return false;
  } finally {
    server.close();
  }
}
