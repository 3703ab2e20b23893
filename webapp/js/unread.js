// The page's unread bookkeeping: the id of the last message read in each room, kept in storage
// (localStorage on the page), and which rooms to ask the server to count. Pure but for the
// storage it is given, so node's test runner checks it with a Map-backed one.

/** Where the id of the last message read in a room is kept: parley.read.<room>. */
export const READ_KEY = 'parley.read.';

/** The server counts at most this many rooms in one request. */
export const MAX_COUNTED_ROOMS = 100;

/**
 * Notes the newest message the reader has seen in the room: the last one shown, while the page is
 * seen and its window reaches the live end (scrolled back, the newest are not on the page).
 * @param {{getItem, setItem}} storage
 * @param {{messages: object[], detached: boolean}} state
 */
export function rememberRead(storage, room, state, visible) {
  const newest = state.messages.at(-1);
  if (newest !== undefined && visible && !state.detached) {
    storage.setItem(READ_KEY + room, newest.id);
  }
}

/**
 * The rooms to count unread messages in: those listed, other than the one shown, that the reader
 * has read before (with the id last read there), at most MAX_COUNTED_ROOMS.
 * @param {{name: string}[]} rooms as GET api/rooms lists them
 * @returns {Map<string, string>} room name to the id last read there
 */
export function lastReadIn(storage, rooms, current) {
  const lastRead = new Map();
  for (const listed of rooms) {
    const id = storage.getItem(READ_KEY + listed.name);
    if (listed.name !== current && id !== null && lastRead.size < MAX_COUNTED_ROOMS) {
      lastRead.set(listed.name, id);
    }
  }
  return lastRead;
}

/** The tab's title: the room, with the count of messages that came while the tab was hidden. */
export function titleOf(room, unseen) {
  return `${unseen > 0 ? `(${unseen}) ` : ''}#${room} · Parley`;
}
