// A room's stream and its current state, shared by any number of listeners: the tabs of a
// shared worker, or the one page when there is no SharedWorker. A new listener first gets a
// snapshot of the state, then every event, so it shows exactly what the others show.
import { RoomConnection } from './connection.js';
import { emptyRoom, reduce } from './state.js';

export class Feed {
  constructor(url) {
    this.room = emptyRoom();
    this.listeners = new Set();
    this.connection = new RoomConnection(url, (event) => {
      this.room = reduce(this.room, event);
      for (const listener of this.listeners) {
        listener(event);
      }
    });
  }

  subscribe(listener) {
    this.listeners.add(listener);
    listener({ type: 'snapshot', room: this.room });
  }

  /** @returns how many listeners are left */
  unsubscribe(listener) {
    this.listeners.delete(listener);
    return this.listeners.size;
  }

  close() {
    this.listeners.clear();
    this.connection.close();
  }
}
