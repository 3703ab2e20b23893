// The chat page: wires the DOM to a room's feed (stream.js), the REST API (api.js), the state
// (state.js) and rendering (render.js).
import { changeMessage, endSession, fetchRooms, fetchSession, fetchUnread, newPostKey, postMessage, sendTyping, startSession, streamUrl } from './api.js';
import { LANGUAGES, LANGUAGE_NAMES, nickSentence, pickLanguage, problemSentence } from './i18n.js';
import { emptyRoom, reduce } from './state.js';
import { openFeed } from './stream.js';
import {
  renderEditor,
  renderMessages,
  renderNotice,
  renderOnline,
  renderRooms,
  renderSendError,
  renderStatus,
  renderTyping,
  useLanguage,
} from './render.js';

const ROOM_NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;
const DEFAULT_ROOM = 'lobby';
const NICK_KEY = 'parley.nick';
const LANGUAGE_KEY = 'parley.language';
/** Where the id of the last message read in a room is kept, by room: parley.read.<room>. */
const READ_KEY = 'parley.read.';
/** While the person types, the room is told again this often (the server forgets after 5 s). */
const TYPING_EVERY_MILLIS = 3_000;
const ROOMS_REFRESH_MILLIS = 15_000;
/** How close to the bottom (in pixels) still counts as "reading the newest messages". */
const FOLLOW_SLACK = 48;

const $ = (id) => document.getElementById(id);
const view = {
  roomTitle: $('room-title'),
  status: $('connection'),
  notice: $('notice'),
  scroller: $('scroller'),
  messages: $('messages'),
  newMessages: $('new-messages'),
  online: $('online'),
  rooms: $('rooms'),
  nickForm: $('nick-form'),
  nick: $('nick'),
  roomForm: $('room-form'),
  roomName: $('room-name'),
  sendForm: $('send-form'),
  text: $('text'),
  sendError: $('send-error'),
  typing: $('typing'),
  pending: $('pending'),
  log: $('log'),
  nickError: $('nick-error'),
  signOut: $('sign-out'),
  language: $('language'),
};

let language = pickLanguage(navigator.languages, localStorage.getItem(LANGUAGE_KEY));
let t = applyLanguage(language);

/** Shows the page in {@code chosen}: <html lang>, every word it has, dates and times. */
function applyLanguage(chosen) {
  const words = useLanguage(chosen);
  document.documentElement.lang = chosen;
  for (const element of document.querySelectorAll('[data-i18n]')) {
    element.textContent = words(element.dataset.i18n);
  }
  for (const element of document.querySelectorAll('[data-i18n-placeholder]')) {
    element.placeholder = words(element.dataset.i18nPlaceholder);
  }
  for (const element of document.querySelectorAll('[data-i18n-aria-label]')) {
    element.setAttribute('aria-label', words(element.dataset.i18nAriaLabel));
  }
  return words;
}

let room = roomFromLocation() ?? DEFAULT_ROOM;
let nick = localStorage.getItem(NICK_KEY) ?? '';
let state = emptyRoom();
let closeFeed = () => {};
let unread = 0;

function roomFromLocation() {
  const fromHash = /^#\/room\/(.+)$/.exec(location.hash);
  const name = fromHash ? decodeURIComponent(fromHash[1]) : new URLSearchParams(location.search).get('room');
  return name !== null && ROOM_NAME.test(name) ? name : null;
}

function connect() {
  closeFeed();
  state = emptyRoom();
  view.messages.replaceChildren();
  render();
  closeFeed = openFeed(streamUrl(room, nick), receive);
}

/** How long a catch-up may pause between its messages and still count as one. */
const CATCH_UP_QUIET_MILLIS = 500;
let catchUpTimer = null;

/**
 * Keeps screen readers from reading a whole catch-up aloud: from a (re)connect, a reset or a
 * snapshot until messages stop coming in a burst, the live region is busy, so only what comes
 * after is announced (politely).
 */
function quietWhileCatchingUp(event) {
  const starts = ['connected', 'reset', 'snapshot'].includes(event.type);
  if (!starts && catchUpTimer === null) {
    return;
  }
  view.log.setAttribute('aria-busy', 'true');
  clearTimeout(catchUpTimer);
  catchUpTimer = setTimeout(() => {
    catchUpTimer = null;
    view.log.removeAttribute('aria-busy');
  }, CATCH_UP_QUIET_MILLIS);
}

function receive(event) {
  quietWhileCatchingUp(event);
  const following = isAtBottom();
  state = reduce(state, event);
  const added = render();
  if (event.type === 'snapshot' || event.type === 'reset' || following) {
    scrollToBottom();
  } else if (added > 0) {
    view.newMessages.hidden = false;
  }
  if (event.type === 'message' && added > 0 && document.visibilityState === 'hidden') {
    unread += added;
    renderTitle();
  }
  if (event.type === 'presence') {
    refreshRooms();
  }
}

function render() {
  // The stream may still look open while the browser knows it has no network at all.
  renderStatus(view.status, navigator.onLine === false ? 'offline' : state.status);
  renderNotice(view.notice, state.notice);
  renderOnline(view.online, state.online, nick);
  renderTyping(
    view.typing,
    (state.typing ?? []).filter((name) => name !== nick),
  );
  const added = renderMessages(view.messages, state.messages, nick);
  rememberRead();
  return added;
}

function renderTitle() {
  document.title = `${unread > 0 ? `(${unread}) ` : ''}#${room} · Parley`;
}

function isAtBottom() {
  const s = view.scroller;
  return s.scrollHeight - s.scrollTop - s.clientHeight <= FOLLOW_SLACK;
}

function scrollToBottom() {
  view.scroller.scrollTop = view.scroller.scrollHeight;
  view.newMessages.hidden = true;
}

/** While the page is seen, the room's newest message counts as read (for the unread counts). */
function rememberRead() {
  const newest = state.messages.at(-1);
  if (newest !== undefined && document.visibilityState === 'visible') {
    localStorage.setItem(READ_KEY + room, newest.id);
  }
}

async function refreshRooms() {
  try {
    const rooms = await fetchRooms();
    const lastRead = new Map();
    for (const listed of rooms) {
      const id = localStorage.getItem(READ_KEY + listed.name);
      if (listed.name !== room && id !== null && lastRead.size < 100) {
        lastRead.set(listed.name, id);
      }
    }
    const counts = new Map();
    if (lastRead.size > 0) {
      for (const counted of await fetchUnread(lastRead, nick)) {
        counts.set(counted.name, counted);
      }
    }
    renderRooms(view.rooms, rooms, room, counts);
  } catch (e) {
    console.warn('Could not load the rooms', e);
  }
}

function switchRoom(name) {
  room = name;
  view.roomTitle.textContent = `#${room}`;
  renderTitle();
  renderSendError(view.sendError, null);
  connect();
  renderOutbox();
  refreshRooms();
}

/**
 * Messages on their way, oldest first: {room, text, key}. Each leaves the box at its Enter (so a
 * second Enter has nothing to send) and keeps its Idempotency-Key through every retry, so it is
 * stored once whatever the network does. One post is on its way at a time.
 */
const outbox = [];
let flushing = false;
/** When the room was last told this person types (0: tell it at the next keystroke). */
let typingToldAt = 0;
/** Pause before the next try while the network is gone, growing to RETRY_MAX_MILLIS. */
const RETRY_FIRST_MILLIS = 1_000;
const RETRY_MAX_MILLIS = 15_000;
let retryPause = RETRY_FIRST_MILLIS;
let wakeRetry = () => {};

function send() {
  const text = view.text.value;
  if (nick === '') {
    renderSendError(view.sendError, t('send.pickNick'));
    view.nick.focus();
    return;
  }
  if (text.trim() === '') {
    return;
  }
  outbox.push({ room, text, key: newPostKey() });
  view.text.value = '';
  typingToldAt = 0;
  renderOutbox();
  scrollToBottom();
  flush();
}

/** Sends what the outbox holds, in order; without network, tries again later (or when it is back). */
async function flush() {
  if (flushing) {
    return;
  }
  flushing = true;
  try {
    while (outbox.length > 0) {
      const next = outbox[0];
      try {
        await postMessage(next.room, nick, next.text, next.key);
        outbox.shift();
        retryPause = RETRY_FIRST_MILLIS;
        renderSendError(view.sendError, null);
      } catch (e) {
        if (e.problem?.status === 0) {
          renderSendError(view.sendError, t('send.pending'));
          await new Promise((resume) => {
            wakeRetry = resume;
            setTimeout(resume, retryPause);
          });
          retryPause = Math.min(RETRY_MAX_MILLIS, retryPause * 2);
          continue;
        }
        // Refused: it will not go out as it is. Back in the box, with the reason, to be mended.
        outbox.shift();
        if (next.room === room && view.text.value === '') {
          view.text.value = next.text;
        }
        renderSendError(view.sendError, e.problem ? problemSentence(t, e.problem) : String(e));
      }
      renderOutbox();
    }
  } finally {
    flushing = false;
  }
}

/** The room's messages still on their way, below the others, marked as such. */
function renderOutbox() {
  view.pending.replaceChildren(
    ...outbox
      .filter((waiting) => waiting.room === room)
      .map((waiting) => {
        const item = document.createElement('li');
        item.className = 'message pending';
        const text = document.createElement('p');
        text.className = 'text';
        text.textContent = waiting.text;
        const mark = document.createElement('span');
        mark.className = 'edited';
        mark.textContent = t('message.pending');
        item.append(mark, text);
        return item;
      }),
  );
}

/** Shows who this page is: the nick its session holds (or none), with a way to sign out. */
function useNick(held) {
  nick = held;
  view.nick.value = held;
  view.signOut.hidden = held === '';
  if (held === '') {
    localStorage.removeItem(NICK_KEY);
  } else {
    localStorage.setItem(NICK_KEY, held);
  }
}

/**
 * Takes a nickname: a session that holds it (nobody else may post or appear under it), after
 * ending the one this browser had. A refusal (held by someone else, say) is said next to the field.
 */
async function takeNick(chosen, reconnect = true) {
  renderSendError(view.nickError, null);
  try {
    if (nick !== '') {
      await endSession();
    }
    const session = await startSession(chosen);
    useNick(session.nick);
  } catch (e) {
    if (!e.problem) {
      throw e;
    }
    useNick('');
    view.nick.value = chosen;
    renderSendError(view.nickError, nickSentence(t, e.problem));
    return false;
  }
  renderSendError(view.sendError, null);
  if (reconnect) {
    connect();
  }
  return true;
}

/**
 * Nickname changes, one after the other: Enter in the field both changes it and submits it, and a
 * second start racing the first would be refused as the first's own nick held.
 */
let nickChanges = Promise.resolve();
view.nickForm.addEventListener('submit', (e) => {
  e.preventDefault();
  const chosen = view.nick.value.trim();
  nickChanges = nickChanges.then(async () => {
    if (chosen !== nick && chosen !== '' && (await takeNick(chosen))) {
      view.text.focus();
    }
  });
});
view.signOut.addEventListener('click', async () => {
  await endSession();
  useNick('');
  connect();
  view.nick.focus();
});
view.nick.addEventListener('change', () => view.nickForm.requestSubmit());

view.roomForm.addEventListener('submit', (e) => {
  e.preventDefault();
  const name = view.roomName.value.trim().toLowerCase();
  if (!ROOM_NAME.test(name)) {
    view.roomName.setCustomValidity(t('rooms.join.invalid'));
    view.roomName.reportValidity();
    return;
  }
  view.roomName.value = '';
  location.hash = `#/room/${name}`;
});
view.roomName.addEventListener('input', () => view.roomName.setCustomValidity(''));

view.sendForm.addEventListener('submit', (e) => {
  e.preventDefault();
  send();
});
view.text.addEventListener('input', () => {
  const now = Date.now();
  if (nick !== '' && view.text.value.trim() !== '' && now - typingToldAt >= TYPING_EVERY_MILLIS) {
    typingToldAt = now;
    sendTyping(room, nick);
  }
});
view.text.addEventListener('keydown', (e) => {
  // keyCode 229: Safari's keydown while an input method composes (isComposing is false there).
  if (e.key === 'Enter' && !e.shiftKey && !e.isComposing && e.keyCode !== 229) {
    e.preventDefault();
    view.sendForm.requestSubmit();
  }
});

view.scroller.addEventListener('scroll', () => {
  if (isAtBottom()) {
    view.newMessages.hidden = true;
  }
});
view.newMessages.addEventListener('click', scrollToBottom);

/** Edit and Delete on the reader's own messages; the stream's edit and delete events show the result. */
view.messages.addEventListener('click', (e) => {
  const button = e.target.closest('button[data-action]');
  const item = button?.closest('li.message');
  const message = state.messages.find((shown) => shown.id === item?.dataset.id);
  if (!message) {
    return;
  }
  const inRoom = room;
  const change = async (text) => {
    try {
      await changeMessage(inRoom, message.id, text, newPostKey());
      renderSendError(view.sendError, null);
    } catch (failure) {
      renderSendError(view.sendError, failure.problem ? problemSentence(t, failure.problem) : String(failure));
    }
  };
  if (button.dataset.action === 'delete') {
    change(null);
  } else if (!item.querySelector('.editor')) {
    renderEditor(item, message.text, (text) => {
      if (text !== null && text.trim() !== '' && text !== message.text) {
        change(text);
      }
    });
  }
});

document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'visible') {
    unread = 0;
    renderTitle();
    rememberRead();
  }
});

window.addEventListener('online', () => {
  render();
  retryPause = RETRY_FIRST_MILLIS;
  wakeRetry();
});
window.addEventListener('offline', render);
window.addEventListener('hashchange', () => {
  const name = roomFromLocation();
  if (name !== null && name !== room) {
    switchRoom(name);
  }
});
// Back from the browser's page cache: the feed was given up when the page was hidden.
window.addEventListener('pagehide', () => closeFeed());
window.addEventListener('pageshow', (e) => {
  if (e.persisted) {
    connect();
  }
});

view.language.replaceChildren(
  ...LANGUAGES.map((tag) => {
    const option = document.createElement('option');
    option.value = tag;
    option.lang = tag;
    option.textContent = LANGUAGE_NAMES[tag];
    return option;
  }),
);
view.language.value = language;
view.language.addEventListener('change', () => {
  language = view.language.value;
  localStorage.setItem(LANGUAGE_KEY, language);
  t = applyLanguage(language);
  render();
  renderMessages(view.messages, state.messages, nick, true);
  renderTitle();
  refreshRooms();
});

/** Who this browser is: its session's nick, or the one it chose before, held again if it is free. */
async function signIn() {
  const remembered = nick;
  const session = await fetchSession().catch(() => null);
  if (session !== null) {
    useNick(session.nick);
  } else if (remembered !== '') {
    nick = '';
    await takeNick(remembered, false);
  } else {
    useNick('');
  }
}

view.nick.value = nick;
signIn().finally(() => {
  switchRoom(room);
  setInterval(refreshRooms, ROOMS_REFRESH_MILLIS);
  if (nick === '') {
    view.nick.focus();
  }
});
