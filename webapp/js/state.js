// The state of one room as the page shows it, and the one pure function that changes it.
// Used by the page and by the shared worker (which hands a snapshot to each new tab).

/** Messages kept in view; older ones are dropped from the page (not from the server). */
export const MAX_MESSAGES = 500;

/** @returns the state of a room before anything has arrived. */
export function emptyRoom() {
  return { status: 'connecting', messages: [], online: [], notice: null, typing: [] };
}

/**
 * Applies one stream event and returns the new state; the old one is left untouched.
 * Events: {type:'snapshot', room} (the whole state, from a shared feed), {type:'status', status}, {type:'message', message},
 * {type:'edit', edit} (a message's new text: edit.target is its id), {type:'delete', target}, {type:'reset', reason},
 * {type:'presence', online}, {type:'typing', typing} (who is typing now), {type:'connected'}. Edits and deletions of messages not shown change nothing.
 */
export function reduce(room, event) {
  switch (event.type) {
    case 'snapshot':
      return event.room;
    case 'status':
      return { ...room, status: event.status };
    case 'message':
      return withMessage(room, event.message);
    case 'edit':
      return withEdit(room, event.edit);
    case 'delete':
      return room.messages.some((shown) => shown.id === event.target)
        ? { ...room, messages: room.messages.filter((shown) => shown.id !== event.target) }
        : room;
    case 'reset':
      // The server could not resume where we were: it sends the latest messages next.
      return { ...room, messages: [], notice: { kind: 'reset', reason: event.reason } };
    case 'typing':
      return { ...room, typing: [...event.typing] };
    case 'presence':
      return { ...room, online: [...event.online] };
    default:
      return room;
  }
}

function withEdit(room, edit) {
  const index = room.messages.findIndex((shown) => shown.id === edit.target);
  if (index < 0) {
    return room;
  }
  const messages = [...room.messages];
  messages[index] = { ...messages[index], text: edit.text, editedAt: edit.editedAt, mentions: edit.mentions };
  return { ...room, messages };
}

function withMessage(room, message) {
  if (room.messages.some((shown) => shown.id === message.id)) {
    return room;
  }
  const messages = [...room.messages, message];
  return { ...room, messages: messages.length > MAX_MESSAGES ? messages.slice(-MAX_MESSAGES) : messages };
}
