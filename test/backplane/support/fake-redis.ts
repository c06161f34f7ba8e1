// A small in-memory Redis for the unit tests: the RESP2 commands the backplane (through ioredis)
// sends, on a loopback port, so `npm test` runs the real client code without a redis-server.
// `restart()` plays a Redis restart without persistence: connections cut, data gone, same port;
// `stall()` a Redis that stopped answering (connections stay open, commands go unanswered).
import { createServer, type Server, type Socket } from 'node:net';

type Reply = Buffer;

const CRLF = '\r\n';
const simple = (text: string): Reply => Buffer.from(`+${text}${CRLF}`);
const failure = (text: string): Reply => Buffer.from(`-${text}${CRLF}`);
const integer = (value: number): Reply => Buffer.from(`:${value}${CRLF}`);
const bulk = (value: Buffer | string | null): Reply =>
  value === null ? Buffer.from(`$-1${CRLF}`) : Buffer.concat([Buffer.from(`$${Buffer.byteLength(value)}${CRLF}`), Buffer.from(value), Buffer.from(CRLF)]);
const array = (items: Reply[]): Reply => Buffer.concat([Buffer.from(`*${items.length}${CRLF}`), ...items]);

/** Parses complete RESP arrays of bulk strings from `input`; returns the commands and the bytes left over. */
function parseCommands(input: Buffer): { commands: Buffer[][]; rest: Buffer } {
  const commands: Buffer[][] = [];
  let offset = 0;
  for (;;) {
    const start = offset;
    const line = (): string | null => {
      const end = input.indexOf(CRLF, offset);
      if (end < 0) return null;
      const text = input.toString('latin1', offset, end);
      offset = end + 2;
      return text;
    };
    const head = line();
    if (head === null || !head.startsWith('*')) {
      offset = start;
      break;
    }
    const parts: Buffer[] = [];
    let complete = true;
    for (let i = 0; i < Number(head.slice(1)); i++) {
      const size = line();
      if (size === null || offset + Number(size.slice(1)) + 2 > input.length) {
        complete = false;
        break;
      }
      parts.push(input.subarray(offset, offset + Number(size.slice(1))));
      offset += Number(size.slice(1)) + 2;
    }
    if (!complete) {
      offset = start;
      break;
    }
    commands.push(parts);
  }
  return { commands, rest: input.subarray(offset) };
}

export class FakeRedis {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  private readonly strings = new Map<string, { value: Buffer; expiresAt: number | null }>();
  private readonly hashes = new Map<string, Map<string, Buffer>>();
  private readonly channels = new Map<string, Set<Socket>>();
  private stalled = false;
  /** How many times each command (upper case) was received. */
  readonly counts = new Map<string, number>();
  port = 0;

  static async start(): Promise<FakeRedis> {
    const redis = new FakeRedis();
    await redis.listen(0);
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** The live string keys (expired ones dropped). */
  keys(): string[] {
    return [...this.strings.keys()].filter((key) => this.live(key) !== null);
  }

  hash(key: string): Record<string, string> {
    return Object.fromEntries([...(this.hashes.get(key) ?? [])].map(([field, value]) => [field, value.toString()]));
  }

  subscribers(channel: string): number {
    return this.channels.get(channel)?.size ?? 0;
  }

  /** Cuts every connection and stops listening (a crash). */
  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    this.channels.clear();
    const server = this.server;
    this.server = null;
    if (server !== null) await new Promise((resolve) => server.close(resolve));
  }

  /** Stops answering, as a hung redis-server: commands are read and dropped, connections stay open. */
  stall(): void {
    this.stalled = true;
  }

  /** Starts again on the same port with nothing in memory, as a redis-server without persistence. */
  async restart(): Promise<void> {
    await this.stop();
    this.strings.clear();
    this.hashes.clear();
    this.stalled = false;
    await this.listen(this.port);
  }

  private listen(port: number): Promise<void> {
    const server = createServer((socket) => this.serve(socket));
    this.server = server;
    return new Promise((resolve) =>
      server.listen(port, '127.0.0.1', () => {
        this.port = (server.address() as { port: number }).port;
        resolve();
      }),
    );
  }

  private serve(socket: Socket): void {
    this.sockets.add(socket);
    let pending: Buffer = Buffer.alloc(0);
    // As redis-server: after QUIT nothing more from the client is executed or answered, even
    // commands already sent behind it; the connection closes once the OK is out.
    let quitting = false;
    socket.on('data', (chunk) => {
      const { commands, rest } = parseCommands(Buffer.concat([pending, chunk]));
      pending = rest;
      for (const command of commands) {
        if (quitting || this.stalled) return;
        quitting = command[0]?.toString().toUpperCase() === 'QUIT';
        socket.write(this.execute(socket, command));
      }
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      this.sockets.delete(socket);
      for (const members of this.channels.values()) members.delete(socket);
    });
  }

  private live(key: string): Buffer | null {
    const entry = this.strings.get(key);
    if (entry === undefined) return null;
    if (entry.expiresAt !== null && entry.expiresAt <= Date.now()) {
      this.strings.delete(key);
      return null;
    }
    return entry.value;
  }

  private execute(socket: Socket, [name, ...args]: Buffer[]): Reply {
    const command = (name ?? Buffer.alloc(0)).toString().toUpperCase();
    this.counts.set(command, (this.counts.get(command) ?? 0) + 1);
    const text = args.map((arg) => arg.toString());
    switch (command) {
      case 'PING':
        return simple('PONG');
      case 'CLIENT':
      case 'SELECT':
        return simple('OK');
      case 'QUIT':
        setImmediate(() => socket.end());
        return simple('OK');
      case 'INFO':
        return bulk('# Server\r\nredis_version:7.0.0\r\nloading:0\r\n');
      case 'SET':
        return this.set(text, args[1]!);
      case 'GET':
        return bulk(this.live(text[0]!));
      case 'MGET':
        return array(text.map((key) => bulk(this.live(key))));
      case 'DEL':
        return integer(text.filter((key) => this.live(key) !== null && this.strings.delete(key)).length + text.filter((key) => this.hashes.delete(key)).length);
      case 'HSET': {
        const hash = this.hashes.get(text[0]!) ?? new Map<string, Buffer>();
        this.hashes.set(text[0]!, hash);
        let added = 0;
        for (let i = 1; i + 1 < args.length; i += 2) {
          if (!hash.has(text[i]!)) added++;
          hash.set(text[i]!, args[i + 1]!);
        }
        return integer(added);
      }
      case 'HDEL': {
        const hash = this.hashes.get(text[0]!);
        const removed = text.slice(1).filter((field) => hash?.delete(field) === true).length;
        if (hash?.size === 0) this.hashes.delete(text[0]!);
        return integer(removed);
      }
      case 'HEXISTS':
        return integer(this.hashes.get(text[0]!)?.has(text[1]!) === true ? 1 : 0);
      case 'HGETALL':
        return array([...(this.hashes.get(text[0]!) ?? [])].flatMap(([field, value]) => [bulk(field), bulk(value)]));
      case 'PUBLISH': {
        const receivers = this.channels.get(text[0]!) ?? new Set();
        const message = array([bulk('message'), bulk(args[0]!), bulk(args[1]!)]);
        for (const receiver of receivers) receiver.write(message);
        return integer(receivers.size);
      }
      case 'SUBSCRIBE':
        return Buffer.concat(text.map((channel) => {
          const members = this.channels.get(channel) ?? new Set<Socket>();
          this.channels.set(channel, members);
          members.add(socket);
          return array([bulk('subscribe'), bulk(channel), integer(this.subscriptionsOf(socket))]);
        }));
      case 'UNSUBSCRIBE': {
        const channels = text.length > 0 ? text : [...this.channels].filter(([, members]) => members.has(socket)).map(([channel]) => channel);
        return Buffer.concat(channels.map((channel) => {
          this.channels.get(channel)?.delete(socket);
          return array([bulk('unsubscribe'), bulk(channel), integer(this.subscriptionsOf(socket))]);
        }));
      }
      default:
        return failure(`ERR unknown command '${command}'`);
    }
  }

  private subscriptionsOf(socket: Socket): number {
    return [...this.channels.values()].filter((members) => members.has(socket)).length;
  }

  /** SET key value [PX ms] [NX]. */
  private set(text: string[], value: Buffer): Reply {
    const key = text[0]!;
    const flags = text.slice(2).map((flag) => flag.toUpperCase());
    const px = flags.indexOf('PX');
    if (flags.includes('NX') && this.live(key) !== null) return bulk(null);
    this.strings.set(key, { value, expiresAt: px >= 0 ? Date.now() + Number(text[2 + px + 1]) : null });
    return simple('OK');
  }
}
