// Calls to Parley's REST API. URLs are relative to the page, so the WAR works under any
// context path. Errors come back as PostError with what the page needs to say why (i18n.js's
// problemSentence): the problem's type, the fields it names, the status, Retry-After.

export class PostError extends Error {
  /**
   * @param {{type: string|null, fields: string[], codes: string[], status: number, retryAfter: string|null}} problem
   *   status 0 when the server could not be reached
   */
  constructor(problem) {
    super(`${problem.type ?? 'refused'} (${problem.status})`);
    this.problem = problem;
    this.status = problem.status;
  }
}

export function roomPath(room) {
  return `api/rooms/${encodeURIComponent(room)}`;
}

/** @returns the stream's absolute URL for a room and (optional) nickname */
export function streamUrl(room, nick) {
  const url = new URL(`${roomPath(room)}/events`, document.baseURI);
  if (nick) {
    url.searchParams.set('nick', nick);
  }
  return url.href;
}

/** @returns [{name, online, lastMessageId}] */
export async function fetchRooms() {
  const response = await fetch('api/rooms', { headers: { Accept: 'application/json' } });
  if (!response.ok) {
    throw new Error(`GET api/rooms answered ${response.status}`);
  }
  return response.json();
}

/**
 * Unread counts of rooms the page does not stream.
 * @param {Map<string, string>} lastRead room name to the id of the last message read there
 * @param {string} nick whose mentions count (the server takes a session's nick over it)
 * @returns [{name, unread, mentioned}]
 */
export async function fetchUnread(lastRead, nick) {
  const query = new URLSearchParams({ unreadAfter: [...lastRead].map(([name, id]) => `${name}:${id}`).join(',') });
  if (nick) {
    query.set('nick', nick);
  }
  const response = await fetch(`api/rooms?${query}`, { headers: { Accept: 'application/json' } });
  if (!response.ok) {
    throw new Error(`GET api/rooms?unreadAfter answered ${response.status}`);
  }
  return response.json();
}

/**
 * Changes one of this person's messages (PATCH), or deletes it (DELETE), under an Idempotency-Key.
 * Rejects with a PostError (too late, not theirs, gone, no network).
 */
export async function changeMessage(room, id, text, key) {
  const path = `${roomPath(room)}/messages/${encodeURIComponent(id)}`;
  await (text === null ? call('DELETE', path, undefined, { 'Idempotency-Key': key }) : call('PATCH', path, { text }, { 'Idempotency-Key': key }));
}

/**
 * One request of the API: JSON in (when there is a body) and out. Resolves with the response when
 * it is a success, rejects with a PostError (status 0 when the server could not be reached).
 */
async function call(method, path, body, headers = {}) {
  let response;
  try {
    response = await fetch(path, {
      method,
      headers: body === undefined ? { Accept: 'application/json', ...headers } : { 'Content-Type': 'application/json', Accept: 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new PostError({ type: null, fields: [], codes: [], status: 0, retryAfter: null });
  }
  if (!response.ok) {
    throw new PostError(await problemOf(response));
  }
  return response;
}

/** Makes a private room owned by this person. @returns {{name, owner, invite, inviteUrl}} */
export async function createPrivateRoom(name) {
  return (await call('POST', 'api/rooms', { name, private: true })).json();
}

/** Joins a private room with its invite (the secret of an invite link). */
export async function joinRoom(room, invite) {
  await call('POST', `${roomPath(room)}/members`, { invite });
}

/** A private room's members, to its owner; a PostError (403 owner-only, 404) to anyone else. */
export async function fetchMembers(room) {
  return (await call('GET', `${roomPath(room)}/members`)).json();
}

/** The owner adds a member by nick. */
export async function addMember(room, nick) {
  await call('POST', `${roomPath(room)}/members`, { nick });
}

/** The owner removes a member, or a member leaves (their own nick). */
export async function removeMember(room, nick) {
  await call('DELETE', `${roomPath(room)}/members/${encodeURIComponent(nick)}`);
}

/** A new invite for the owner: the old link lets nobody in any more. @returns {{invite, inviteUrl}} */
export async function renewInvite(room) {
  return (await call('POST', `${roomPath(room)}/invite`, {})).json();
}

/** A moderator bans a nick from the room for so many minutes. */
export async function ban(room, nick, minutes, key) {
  await call('POST', `${roomPath(room)}/bans`, { nick, minutes }, { 'Idempotency-Key': key });
}

/** Whether the room is there for this person: false when it answers 404 (private, and not theirs). */
export async function roomVisible(room) {
  const response = await fetch(`${roomPath(room)}/messages?limit=1`, { headers: { Accept: 'application/json' } });
  return response.status !== 404;
}

/**
 * A page of the room's history as it stands, oldest first: the {@code limit} messages before the
 * id {@code before}, or after the id {@code after}.
 */
export async function fetchHistory(room, { before, after, limit }) {
  const query = new URLSearchParams({ limit: String(limit) });
  if (before !== undefined) {
    query.set('before', before);
  } else {
    query.set('after', after);
  }
  return (await call('GET', `${roomPath(room)}/messages?${query}`)).json();
}

/** @returns the session this browser's cookie holds ({nick, expiresAt, moderator}), or null */
export async function fetchSession() {
  const response = await fetch('api/sessions/current', { headers: { Accept: 'application/json' } });
  return response.ok ? response.json() : null;
}

/**
 * Starts a session that holds the nick (the server sets its cookie); asking again for a nick this
 * browser holds answers the same session. A moderator adds their secret to hold their own name.
 * Rejects with a PostError (nick-held, reserved-name, a wrong secret, invalid-input, too many
 * starts, no network).
 * @returns {{nick: string, expiresAt: string, moderator: boolean}}
 */
export async function startSession(nick, secret) {
  return (await call('POST', 'api/sessions', secret ? { nick, secret } : { nick })).json();
}

/** Ends this browser's session: its nick is free again. */
export async function endSession() {
  await fetch('api/sessions/current', { method: 'DELETE' });
}

/** A new Idempotency-Key: 32 random hex digits (crypto.randomUUID needs a secure context; this does not). */
export function newPostKey() {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Posts a message under an Idempotency-Key: posting again with the same key (a retry after a lost
 * answer) stores nothing new. Resolves with the stored message, rejects with a PostError.
 */
export async function postMessage(room, author, text, key) {
  return (await call('POST', `${roomPath(room)}/messages`, { author, text }, { 'Idempotency-Key': key })).json();
}

const PROBLEM_TYPE = 'urn:parley:problem:';

/** What a refusal says, for problemSentence: never its English detail. */
async function problemOf(response) {
  let problem = {};
  try {
    problem = await response.json();
  } catch {
    // Not problem+json (a proxy's error page, say): the status alone must do.
  }
  const type = typeof problem.type === 'string' && problem.type.startsWith(PROBLEM_TYPE) ? problem.type.slice(PROBLEM_TYPE.length) : null;
  const errors = Array.isArray(problem.errors) ? problem.errors : [];
  return {
    type,
    fields: errors.map((e) => e.field),
    codes: errors.map((e) => e.code),
    status: response.status,
    retryAfter: response.headers.get('Retry-After'),
  };
}

/**
 * Tells the room that this person is typing; a refusal (too often, say) is of no consequence.
 * @param {string} nick for someone without a session
 */
export async function sendTyping(room, nick) {
  try {
    await fetch(`${roomPath(room)}/typing`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ nick }),
    });
  } catch {
    // the next keystroke tries again
  }
}
