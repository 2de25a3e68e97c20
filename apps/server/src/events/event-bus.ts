import type { Event, Permission } from '@novacron/api';
import type { Clock } from '../lib/clock';

/** What a publisher says; the bus stamps the time. */
export type EventInput = Omit<Event, 'time'> & { permission: Permission };

type Listener = (event: Event) => void;

/** In-process fan-out of events to WebSocket subscribers and internal listeners. */
export class EventBus {
  private readonly listeners = new Set<Listener>();
  constructor(private readonly clock: Clock) {}

  /** Publishes to every listener; a failing listener does not stop the others. */
  publish(input: EventInput): void {
    const event: Event = { ...input, time: this.clock.now().toISOString() };
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // a broken subscriber must not break publishers
      }
    }
  }

  /** Subscribes; returns the unsubscribe function. */
  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
