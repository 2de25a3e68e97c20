import type { ConsoleDataMessage } from '@novacron/api';

/** Open console streams (from `console.open`): where bytes the control plane sends for a stream go. */
export class ConsoleStreams {
  private readonly sinks = new Map<string, (bytes: Buffer) => void>();

  /** Routes bytes of `streamId` to `sink` until `remove`. */
  add(streamId: string, sink: (bytes: Buffer) => void): void {
    this.sinks.set(streamId, sink);
  }

  /** Stops routing a stream. */
  remove(streamId: string): void {
    this.sinks.delete(streamId);
  }

  /** Ids of open streams. */
  ids(): string[] {
    return [...this.sinks.keys()];
  }

  /** Delivers one `console.data` frame from the control plane (unknown streams are dropped). */
  deliver(msg: ConsoleDataMessage): void {
    this.sinks.get(msg.streamId)?.(Buffer.from(msg.data, 'base64'));
  }
}
