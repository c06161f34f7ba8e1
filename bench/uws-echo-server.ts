import { announceReady, answerUsageRequests, portArgument } from './support/server-control.js';
import { loadUws } from './support/uws.js';

/**
 * uWebSockets.js echo server, the C++ reference: same contract as
 * echo-server.ts. `loadUws` gives the optional dev dependency
 * @trufflesuite/uws-js-unofficial, or null where its prebuilt binary does not
 * load on this platform (bench/e2e.ts then leaves the column out).
 */
const MAX_MESSAGE = 64 * 1024 * 1024;

const uws = loadUws();
if (uws === null) {
  process.stderr.write('uws-echo-server: uWebSockets.js does not load here\n');
  process.exit(1);
}
uws
  .App()
  .ws('/*', {
    maxPayloadLength: MAX_MESSAGE,
    // Like the other servers: never drop an echo because the client reads slowly, never time out an idle connection.
    maxBackpressure: 16 * MAX_MESSAGE,
    idleTimeout: 0,
    message: (socket, message, isBinary) => {
      socket.send(message, isBinary);
    },
  })
  .listen('127.0.0.1', portArgument(), (listenSocket) => {
    if (listenSocket === false) {
      process.stderr.write('uws-echo-server: listen failed\n');
      process.exit(1);
    }
    answerUsageRequests();
    announceReady(uws.us_socket_local_port(listenSocket));
  });
