/**
 * Where the backplane keeps things in Redis, all under one prefix so several deployments can
 * share a server:
 *   <prefix>process:<id>          heartbeat of a live process (string, PX expiry)
 *   <prefix>room:<room>:members   hash: member id -> the process holding its connection
 *   <prefix>room:<room>:id:<id>   reservation of an id while its connection joins (SET NX PX)
 *   <prefix>topic:<topic>         pub/sub channel of a topic
 *   <prefix>room:<room>           pub/sub channel of a room (joins, leaves, packets, in order)
 */
export class KeyLayout {
  constructor(readonly prefix: string) {}

  heartbeat(process: string): string {
    return `${this.prefix}process:${process}`;
  }

  members(room: string): string {
    return `${this.prefix}room:${room}:members`;
  }

  reservation(room: string, id: number): string {
    return `${this.prefix}room:${room}:id:${id}`;
  }

  topicChannel(topic: string): string {
    return `${this.prefix}topic:${topic}`;
  }

  roomChannel(room: string): string {
    return `${this.prefix}room:${room}`;
  }
}
