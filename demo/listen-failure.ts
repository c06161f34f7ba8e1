/**
 * One line for a demo server that could not start listening on `host`:`port`:
 * the port is taken, the address is not this machine's, or the port needs
 * privileges. `argv` is the demo's command line, repeated in the suggestion.
 */
export function listenFailure(error: NodeJS.ErrnoException, port: number, host: string, argv: readonly string[]): string {
  switch (error.code) {
    case 'EADDRINUSE':
      return `port ${port} on ${host} is in use; try ${commandWithPort(argv, port < 65535 ? port + 1 : 0)}`;
    case 'EACCES':
      return `no permission to listen on port ${port} on ${host} (ports below 1024 need privileges); try ${commandWithPort(argv, 9080)}`;
    case 'EADDRNOTAVAIL':
      return `${host} is not an address of this machine; try --host 127.0.0.1`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `cannot resolve the host name ${host}; try --host 127.0.0.1`;
    default:
      return `cannot listen on port ${port} on ${host}: ${error.message}`;
  }
}

/** `npm start -- ARGS --port N`: the same command line with another port. */
function commandWithPort(argv: readonly string[], port: number): string {
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--port') i++;
    else rest.push(argv[i]!);
  }
  return ['npm start --', '--port', String(port), ...rest.map((arg) => (/^[\w./:=@-]+$/.test(arg) ? arg : JSON.stringify(arg)))].join(' ');
}
