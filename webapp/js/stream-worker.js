// Shared worker: every tab of this browser that shows the same room with the same nickname
// shares one stream (one HTTP connection), so many open tabs stay under the browser's limit of
// six connections per host. Each tab gets a snapshot of the room, then every event.
import { Feed } from './feed.js';

/** stream URL -> Feed */
const feeds = new Map();
/** tab's port -> { url, listener } */
const subscriptions = new Map();

self.addEventListener('connect', (connect) => {
  const port = connect.ports[0];
  port.addEventListener('message', ({ data }) => {
    if (data.type === 'subscribe') {
      subscribe(port, data.url);
    } else if (data.type === 'unsubscribe') {
      unsubscribe(port);
    }
  });
  // Fired when the tab is gone (closed, crashed, navigated away).
  port.addEventListener('close', () => unsubscribe(port));
  port.start();
});

function subscribe(port, url) {
  unsubscribe(port);
  let feed = feeds.get(url);
  if (!feed) {
    feed = new Feed(url);
    feeds.set(url, feed);
  }
  const listener = (event) => port.postMessage({ url, event });
  subscriptions.set(port, { url, listener });
  feed.subscribe(listener);
}

function unsubscribe(port) {
  const subscription = subscriptions.get(port);
  if (!subscription) {
    return;
  }
  subscriptions.delete(port);
  const feed = feeds.get(subscription.url);
  if (feed.unsubscribe(subscription.listener) === 0) {
    feed.close();
    feeds.delete(subscription.url);
  }
}
