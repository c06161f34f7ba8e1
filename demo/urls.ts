/** `host` as it goes in a URL: IPv6 addresses in brackets (`::1` → `[::1]`), anything else as is. */
export function hostInUrl(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

/** `scheme://host:port`, with the host bracketed when it is an IPv6 address. */
export function origin(scheme: string, host: string, port: number): string {
  return `${scheme}://${hostInUrl(host)}:${port}`;
}
