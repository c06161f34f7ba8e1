/**
 * What a TopicHub tells a backplane (for example Redis pub/sub joining
 * several processes), attached with `hub.attachBackplane(backplane)`. Every
 * call is made synchronously from the hub's own call; a backplane that needs
 * to do asynchronous work queues it and keeps the order of the calls.
 *
 * Messages that arrive from other processes come back through
 * `hub.deliverRemote(topic, data, isText)`, which reaches the local
 * subscribers without calling `published` again (no echo between processes).
 */
export interface TopicBackplane {
  /** `topic` has its first local subscriber (also called for every such topic when the backplane is attached). */
  topicSubscribed(topic: string): void;
  /** `topic` has lost its last local subscriber. */
  topicUnsubscribed(topic: string): void;
  /**
   * A message was published in this process (`hub.publish`), whether or not
   * it had local subscribers. `data` is the payload; its bytes are never
   * written to again, so it may be kept without a copy.
   */
  published(topic: string, data: Uint8Array, isText: boolean): void;
}
