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
  let response;
  try {
    response = await fetch(`${roomPath(room)}/messages/${encodeURIComponent(id)}`, {
      method: text === null ? 'DELETE' : 'PATCH',
      headers:
        text === null
          ? { 'Idempotency-Key': key }
          : { 'Content-Type': 'application/json', Accept: 'application/json', 'Idempotency-Key': key },
      body: text === null ? undefined : JSON.stringify({ text }),
    });
  } catch {
    throw new PostError({ type: null, fields: [], codes: [], status: 0, retryAfter: null });
  }
  if (!response.ok) {
    throw new PostError(await problemOf(response));
  }
}

/** @returns the session this browser's cookie holds ({nick, expiresAt}), or null */
export async function fetchSession() {
  const response = await fetch('api/sessions/current', { headers: { Accept: 'application/json' } });
  return response.ok ? response.json() : null;
}

/**
 * Starts a session that holds the nick (the server sets its cookie); asking again for a nick this
 * browser holds answers the same session. Rejects with a PostError (nick-held, reserved-name,
 * invalid-input, too many starts, no network).
 * @returns {{nick: string, expiresAt: string}}
 */
export async function startSession(nick) {
  let response;
  try {
    response = await fetch('api/sessions', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ nick }),
    });
  } catch {
    throw new PostError({ type: null, fields: [], codes: [], status: 0, retryAfter: null });
  }
  if (response.ok) {
    return response.json();
  }
  throw new PostError(await problemOf(response));
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
  let response;
  try {
    response = await fetch(`${roomPath(room)}/messages`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'Idempotency-Key': key },
      body: JSON.stringify({ author, text }),
    });
  } catch {
    throw new PostError({ type: null, fields: [], codes: [], status: 0, retryAfter: null });
  }
  if (response.status === 201) {
    return response.json();
  }
  throw new PostError(await problemOf(response));
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
