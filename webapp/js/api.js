// Calls to Parley's REST API. URLs are relative to the page, so the WAR works under any
// context path. Errors come back as PostError with the server's problem+json explanation.

export class PostError extends Error {
  /**
   * @param {string} message what to show next to the message box
   * @param {number} status HTTP status, 0 when the server could not be reached
   */
  constructor(message, status) {
    super(message);
    this.status = status;
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
    throw new PostError('Could not reach the server. Your message was not sent.', 0);
  }
  if (response.status === 201) {
    return response.json();
  }
  throw new PostError(await explain(response), response.status);
}

/** The server's field names, as the page labels them. */
const FIELD_LABELS = { author: 'Nickname', text: 'Message' };

async function explain(response) {
  let problem = {};
  try {
    problem = await response.json();
  } catch {
    // Not problem+json (a proxy's error page, say): the status alone must do.
  }
  const fieldErrors = Array.isArray(problem.errors) ? problem.errors.map((e) => `${FIELD_LABELS[e.field] ?? e.field} ${e.message}.`) : [];
  let text = fieldErrors.length > 0 ? fieldErrors.join(' ') : problem.detail || problem.title || `The server answered ${response.status}.`;
  const retryAfter = response.headers.get('Retry-After');
  if (response.status === 429 && retryAfter) {
    text += ` Try again in ${retryAfter} s.`;
  }
  return `Not sent: ${text}`;
}
