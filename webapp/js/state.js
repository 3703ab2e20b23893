// The state of one room as the page shows it, and the pure functions that change it.
// Used by the page and by the shared worker (which hands a snapshot to each new tab).
//
// The page shows a window of the room's messages, at most MAX_MESSAGES, so that a room with any
// number of kept messages stays light: scrolling back adds an older page (withOlder) and drops
// the newest beyond the bound, which leaves the window behind the live end ("detached"); while
// detached, live messages wait in `later` and scrolling down brings newer pages (withNewer) until
// the window reaches the live end again.

/** Messages kept in view; the others stay on the server, a page away. */
export const MAX_MESSAGES = 500;

/** @returns the state of a room before anything has arrived. */
export function emptyRoom() {
  return { status: 'connecting', messages: [], online: [], notice: null, typing: [], older: null, detached: false, later: [] };
}

/**
 * Applies one stream event and returns the new state; the old one is left untouched.
 * Events: {type:'snapshot', room} (the whole state, from a shared feed), {type:'status', status}, {type:'message', message},
 * {type:'edit', edit} (a message's new text: edit.target is its id), {type:'delete', target}, {type:'reset', reason},
 * {type:'presence', online}, {type:'typing', typing} (who is typing now), {type:'connected'},
 * {type:'ended', reason, until} (the server ended the stream: 'banned' or 'removed'),
 * {type:'notice', notice} (the page's own word, such as {kind:'no-access'}).
 * Edits and deletions of messages not shown change nothing.
 */
export function reduce(room, event) {
  switch (event.type) {
    case 'snapshot':
      return { ...emptyRoom(), ...event.room };
    case 'status':
      return { ...room, status: event.status };
    case 'connected':
      // A stream is open again: what kept it shut is over.
      return room.notice !== null && room.notice.kind !== 'reset' ? { ...room, notice: null } : room;
    case 'message':
      return room.detached ? { ...room, later: bounded([...room.later, event.message]).kept } : withMessage(room, event.message);
    case 'edit':
      return changed(room, (messages) => withEdit(messages, event.edit));
    case 'delete':
      return changed(room, (messages) => messages.filter((shown) => shown.id !== event.target));
    case 'reset':
      // The server could not resume where we were: it sends the latest messages next.
      return { ...room, messages: [], later: [], detached: false, older: null, notice: { kind: 'reset', reason: event.reason } };
    case 'ended':
      return { ...room, notice: { kind: event.reason, until: event.until ?? null } };
    case 'notice':
      return { ...room, notice: event.notice };
    case 'typing':
      return { ...room, typing: [...event.typing] };
    case 'presence':
      return { ...room, online: [...event.online] };
    default:
      return room;
  }
}

/**
 * Adds a page of older messages (oldest first, all before the first shown) at the top. A page
 * shorter than {@code limit} is the room's beginning. Beyond MAX_MESSAGES the newest go, and the
 * window is detached from the live end.
 */
export function withOlder(room, page, limit) {
  const shown = new Set(room.messages.map((m) => m.id));
  const messages = [...page.filter((m) => !shown.has(m.id)), ...room.messages];
  const older = page.length >= limit;
  if (messages.length <= MAX_MESSAGES) {
    return { ...room, messages, older };
  }
  return { ...room, messages: messages.slice(0, MAX_MESSAGES), older, detached: true };
}

/**
 * Adds a page of newer messages (oldest first, all after the last shown) at the bottom of a
 * detached window. A page shorter than {@code limit} reaches the live end: the messages that came
 * meanwhile follow, and the window follows the live end again. Beyond MAX_MESSAGES the oldest go.
 */
export function withNewer(room, page, limit) {
  const reachedEnd = page.length < limit;
  let messages = [...room.messages];
  const shown = new Set(messages.map((m) => m.id));
  for (const message of reachedEnd ? [...page, ...room.later] : page) {
    if (!shown.has(message.id)) {
      shown.add(message.id);
      messages.push(message);
    }
  }
  const { kept, dropped } = bounded(messages);
  messages = kept;
  return {
    ...room,
    messages,
    older: dropped ? true : room.older,
    detached: !reachedEnd,
    later: reachedEnd ? [] : room.later,
  };
}

/** The last MAX_MESSAGES of a list, and whether any went. */
function bounded(messages) {
  return messages.length > MAX_MESSAGES ? { kept: messages.slice(-MAX_MESSAGES), dropped: true } : { kept: messages, dropped: false };
}

/** Applies a change to the shown messages and to those waiting below a detached window. */
function changed(room, change) {
  const messages = change(room.messages);
  const later = change(room.later);
  const same = messages.length === room.messages.length && messages.every((m, i) => m === room.messages[i]) && later.length === room.later.length && later.every((m, i) => m === room.later[i]);
  return same ? room : { ...room, messages, later };
}

function withEdit(messages, edit) {
  const index = messages.findIndex((shown) => shown.id === edit.target);
  if (index < 0) {
    return messages;
  }
  const edited = [...messages];
  edited[index] = { ...edited[index], text: edit.text, editedAt: edit.editedAt, mentions: edit.mentions };
  return edited;
}

function withMessage(room, message) {
  if (room.messages.some((shown) => shown.id === message.id)) {
    return room;
  }
  const { kept, dropped } = bounded([...room.messages, message]);
  return { ...room, messages: kept, older: dropped ? true : room.older };
}
