import type { BackplaneContext } from './backplane-context.js';
import type { ChannelSubscriptions } from './channel-subscriptions.js';
import type { TopicBackplane, TopicHubLike } from './contract.js';
import { decodeWireMessage, encodeTopicMessage, WireKind } from './wire.js';

/**
 * Topics across processes: a topic's channel is subscribed while this process has subscribers
 * to it, and every local publication goes to Redis once, whatever the number of receivers; each
 * process then fans it out to its own subscribers.
 */
export class TopicBridge implements TopicBackplane {
  constructor(
    private readonly context: BackplaneContext,
    private readonly subscriptions: ChannelSubscriptions,
    private readonly hub: TopicHubLike,
  ) {}

  topicSubscribed(topic: string): void {
    this.subscriptions.add(this.context.keys.topicChannel(topic), (message) => this.receive(topic, message));
  }

  topicUnsubscribed(topic: string): void {
    this.subscriptions.remove(this.context.keys.topicChannel(topic));
  }

  published(topic: string, data: Uint8Array, isText: boolean): void {
    this.context.publish(this.context.keys.topicChannel(topic), encodeTopicMessage(this.context.processId, isText, data));
  }

  private receive(topic: string, bytes: Buffer): void {
    const message = decodeWireMessage(bytes);
    // Redis echoes our own publications back; local subscribers already had them.
    if (message?.kind !== WireKind.TOPIC || message.process === this.context.processId) return;
    this.context.stats.received++;
    this.hub.deliverRemote(topic, message.payload, message.isText);
  }
}
