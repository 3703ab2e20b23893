// One EventSource to a room's stream, turned into plain events for the reducer in state.js.
// The browser reconnects by itself after a dropped connection (sending Last-Event-ID); when it
// gives up (an HTTP error while the server restarts, say), this opens a new EventSource after a
// growing pause and resumes with the lastEventId query parameter.

const FIRST_PAUSE_MILLIS = 2_000;
const MAX_PAUSE_MILLIS = 30_000;

export class RoomConnection {
  /**
   * @param {string} url the stream's absolute URL, e.g. https://host/api/rooms/lobby/events?nick=ann
   * @param {(event: object) => void} onEvent receives status, connected, message, edit, delete,
   *   reset, presence, typing and ended (banned, or removed from a private room)
   */
  constructor(url, onEvent) {
    this.url = url;
    this.onEvent = onEvent;
    this.lastEventId = null;
    this.failures = 0;
    this.timer = null;
    this.source = null;
    this.closed = false;
    this.open();
  }

  open() {
    const url = new URL(this.url);
    if (this.lastEventId !== null) {
      url.searchParams.set('lastEventId', this.lastEventId);
    }
    const source = new EventSource(url);
    this.source = source;
    source.addEventListener('open', () => {
      this.failures = 0;
      this.onEvent({ type: 'status', status: 'connected' });
    });
    source.addEventListener('error', () => this.failed(source));
    source.addEventListener('connected', (e) => this.onEvent({ type: 'connected', connectionId: JSON.parse(e.data).connectionId }));
    source.addEventListener('message', (e) => {
      this.lastEventId = e.lastEventId;
      this.onEvent({ type: 'message', message: JSON.parse(e.data) });
    });
    source.addEventListener('edit', (e) => {
      this.lastEventId = e.lastEventId;
      this.onEvent({ type: 'edit', edit: JSON.parse(e.data) });
    });
    source.addEventListener('delete', (e) => {
      this.lastEventId = e.lastEventId;
      this.onEvent({ type: 'delete', target: JSON.parse(e.data).target });
    });
    source.addEventListener('reset', (e) => this.onEvent({ type: 'reset', reason: JSON.parse(e.data).reason }));
    source.addEventListener('typing', (e) => this.onEvent({ type: 'typing', typing: JSON.parse(e.data).typing }));
    source.addEventListener('presence', (e) => this.onEvent({ type: 'presence', online: JSON.parse(e.data).online }));
    source.addEventListener('banned', (e) => this.onEvent({ type: 'ended', reason: 'banned', until: JSON.parse(e.data).until }));
    source.addEventListener('shutdown', (e) => {
      const { reason } = JSON.parse(e.data);
      if (reason === 'removed') {
        this.onEvent({ type: 'ended', reason });
      }
    });
  }

  failed(source) {
    if (this.closed || source !== this.source) {
      return;
    }
    if (source.readyState === EventSource.CONNECTING && navigator.onLine !== false) {
      this.onEvent({ type: 'status', status: 'reconnecting' });
      return;
    }
    // The browser gave up on this EventSource: try again ourselves, a little later each time.
    source.close();
    this.onEvent({ type: 'status', status: 'offline' });
    this.failures += 1;
    const pause = Math.min(MAX_PAUSE_MILLIS, FIRST_PAUSE_MILLIS * 2 ** Math.min(this.failures - 1, 4));
    this.timer = setTimeout(() => {
      this.onEvent({ type: 'status', status: 'reconnecting' });
      this.open();
    }, pause);
  }

  close() {
    this.closed = true;
    clearTimeout(this.timer);
    this.source?.close();
  }
}
