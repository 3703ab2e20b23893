// Opens a room's feed for this tab: through the shared worker when the browser has
// SharedWorker, else with an EventSource of the tab's own. Either way the tab receives a
// snapshot of the room first, then every event (see feed.js).
import { Feed } from './feed.js';

let worker = null;

/**
 * @param {string} url the stream's absolute URL
 * @param {(event: object) => void} onEvent
 * @returns {() => void} stops this tab's interest in the feed
 */
export function openFeed(url, onEvent) {
  const port = sharedWorkerPort();
  if (port === null) {
    const feed = new Feed(url);
    feed.subscribe(onEvent);
    return () => feed.close();
  }
  const receive = ({ data }) => {
    // After a switch, events of the previous feed may still be on their way: skip them.
    if (data.url === url) {
      onEvent(data.event);
    }
  };
  port.addEventListener('message', receive);
  port.postMessage({ type: 'subscribe', url });
  return () => {
    port.removeEventListener('message', receive);
    port.postMessage({ type: 'unsubscribe' });
  };
}

function sharedWorkerPort() {
  if (typeof SharedWorker !== 'function') {
    return null;
  }
  if (worker === null) {
    try {
      worker = new SharedWorker(new URL('./stream-worker.js', import.meta.url), { type: 'module', name: 'parley-streams' });
      worker.port.start();
    } catch (e) {
      console.warn('No shared worker; this tab streams on its own', e);
      return null;
    }
  }
  return worker.port;
}
