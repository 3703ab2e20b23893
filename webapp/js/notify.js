// Opt-in browser notifications of mentions while the tab is hidden. The choice is remembered; the
// browser's permission is asked when the reader opts in.
import { mentions } from './layout.js';

/** Where the reader's choice is kept ('1': notify). */
export const NOTIFY_KEY = 'parley.notify';

/**
 * Whether a message that just came deserves a notification: the reader opted in, the browser
 * allows it, the tab is hidden, and someone else's message names the reader.
 */
export function shouldNotify({ optedIn, permission, hidden, message, me }) {
  return optedIn && permission === 'granted' && hidden && me !== '' && message.author !== me && mentions(message, me);
}

/** Asks the browser for permission; @returns whether notifications may be shown. */
export async function askPermission() {
  if (typeof Notification !== 'function') {
    return false;
  }
  return (await Notification.requestPermission()) === 'granted';
}

/** Shows one notification for a message (one per message, whatever the number of tabs: its tag). */
export function notifyOf(message, title) {
  const shown = new Notification(title, { body: message.text.slice(0, 200), tag: `parley-${message.id}`, lang: document.documentElement.lang });
  shown.addEventListener('click', () => {
    window.focus();
    shown.close();
  });
}
