/**
 * The events main sends out: what the screen listens to (common/ipc-contract EventName:
 * order changes, status, training SMS, ...) and the desktop notifications the shell shows.
 * One emitter, typed per event, so the engine, the training runtime and the IPC adapters
 * meet in one place.
 */
import { EventEmitter } from 'node:events';
import type { EventName, EventPayloads } from '../common/ipc-contract';
import type { NotificationRequest } from './orders/engine-types';

/** Typed events of the running app. */
export class AppEvents {
  private readonly emitter = new EventEmitter();

  /** Subscribes to an event for the screen; returns the unsubscribe function. */
  on<E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void): () => void {
    this.emitter.on(event, listener);
    return () => this.emitter.off(event, listener);
  }

  /** Sends an event to every screen listener. */
  emit<E extends EventName>(event: E, payload: EventPayloads[E]): void {
    this.emitter.emit(event, payload);
  }

  /** Subscribes to desktop notifications; returns the unsubscribe function. */
  onNotify(listener: (n: NotificationRequest) => void): () => void {
    this.emitter.on('notify', listener);
    return () => this.emitter.off('notify', listener);
  }

  /** Asks the shell to show a desktop notification. */
  notify(n: NotificationRequest): void {
    this.emitter.emit('notify', n);
  }
}
