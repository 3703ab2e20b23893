// The chat page: wires the DOM to a room's feed (stream.js), the REST API (api.js), the state
// (state.js) and rendering (render.js); a private room's panel is private-room.js.
import {
  ban,
  changeMessage,
  createPrivateRoom,
  endSession,
  fetchHistory,
  fetchRooms,
  fetchSession,
  fetchUnread,
  joinRoom,
  newPostKey,
  postMessage,
  roomVisible,
  sendTyping,
  startSession,
  streamUrl,
} from './api.js';
import { LANGUAGES, LANGUAGE_NAMES, nickSentence, pickLanguage, problemSentence, refusalSentence } from './i18n.js';
import { NOTIFY_KEY, askPermission, notifyOf, shouldNotify } from './notify.js';
import { Outbox } from './outbox.js';
import { PrivateRoomPanel } from './private-room.js';
import { emptyRoom, reduce, withNewer, withOlder } from './state.js';
import { openFeed } from './stream.js';
import { lastReadIn, rememberRead, titleOf } from './unread.js';
import {
  formatDateTime,
  renderBanForm,
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
/** Messages asked for at a time when scrolling back (or forth, in a detached window). */
const HISTORY_PAGE = 100;
/** How close to the top or bottom (in pixels) a scroll comes before the next page is asked for. */
const PAGE_SLACK = 400;
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
  secretField: $('secret-field'),
  secret: $('secret'),
  moderatorBadge: $('moderator-badge'),
  notify: $('notify'),
  roomPrivate: $('room-private'),
  roomError: $('room-error'),
  historyEdge: $('history-edge'),
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

/** An invite link's secret (…?room=team-x#invite=pi_…): joined once a nick is held, then forgotten. */
let invitation = invitationFromLocation();
let room = roomFromLocation() ?? DEFAULT_ROOM;
let nick = localStorage.getItem(NICK_KEY) ?? '';
/** Whether this page's person moderates (their session or identity provider says so). */
let moderator = false;
let state = emptyRoom();
let closeFeed = () => {};
let unread = 0;
const privateRoom = new PrivateRoomPanel(
  () => t,
  () => {
    location.hash = `#/room/${DEFAULT_ROOM}`;
  },
);

function roomFromLocation() {
  const fromHash = /^#\/room\/(.+)$/.exec(location.hash);
  const name = fromHash ? decodeURIComponent(fromHash[1]) : new URLSearchParams(location.search).get('room');
  return name !== null && ROOM_NAME.test(name) ? name : null;
}

/** The invite in the address, taken out of it at once (so it is neither kept in history nor shared by accident). */
function invitationFromLocation() {
  const invite = /^#invite=([A-Za-z0-9_-]+)$/.exec(location.hash)?.[1];
  const named = new URLSearchParams(location.search).get('room');
  if (invite === undefined || named === null || !ROOM_NAME.test(named)) {
    return null;
  }
  history.replaceState(null, '', `${location.pathname}#/room/${named}`);
  return { room: named, invite };
}

function connect() {
  closeFeed();
  state = emptyRoom();
  view.messages.replaceChildren();
  loadingPage = false;
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
  const following = isAtBottom() && !state.detached;
  const waiting = state.later.length;
  state = reduce(state, event);
  const added = render();
  if (event.type === 'snapshot' || event.type === 'reset' || following) {
    scrollToBottom();
  } else if (added > 0 || state.later.length > waiting) {
    view.newMessages.hidden = false;
  }
  if (event.type === 'message' && document.visibilityState === 'hidden' && (added > 0 || state.later.length > waiting)) {
    unread += 1;
    renderTitle();
    notifyIfMentioned(event.message);
  }
  if (event.type === 'presence') {
    refreshRooms();
    privateRoom.refresh();
  }
  if (event.type === 'status' && event.status === 'offline') {
    explainRefusal();
  }
  if (['snapshot', 'reset', 'connected'].includes(event.type)) {
    fillView();
  }
}

/**
 * The browser gave up on the stream: if the room is not there for this person, the page says so,
 * unless the server said why already (removed from a private room, banned), which stays shown.
 */
async function explainRefusal() {
  if (['removed', 'banned'].includes(state.notice?.kind)) {
    return;
  }
  const refused = room;
  try {
    if (!(await roomVisible(refused)) && refused === room) {
      receive({ type: 'notice', notice: { kind: 'no-access' } });
    }
  } catch {
    // No network: the page says offline already.
  }
}

function notifyIfMentioned(message) {
  const permission = typeof Notification === 'function' ? Notification.permission : 'denied';
  if (shouldNotify({ optedIn: view.notify.checked, permission, hidden: document.visibilityState === 'hidden', message, me: nick })) {
    notifyOf(message, t('notify.title', { author: message.author, room }));
  }
}

function render() {
  // The stream may still look open while the browser knows it has no network at all.
  renderStatus(view.status, navigator.onLine === false ? 'offline' : state.status);
  renderNotice(view.notice, state.notice, room);
  renderOnline(view.online, state.online, nick);
  renderTyping(
    view.typing,
    (state.typing ?? []).filter((name) => name !== nick),
  );
  const added = renderMessages(view.messages, state.messages, { me: nick, moderator });
  renderHistoryEdge();
  rememberRead(localStorage, room, state, document.visibilityState === 'visible');
  return added;
}

function renderTitle() {
  document.title = titleOf(room, unread);
}

/** Above the first message: that the room begins there, or that an older page is on its way. */
function renderHistoryEdge() {
  const beginning = state.older === false && state.messages.length > 0;
  view.historyEdge.hidden = !beginning && !loadingPage;
  view.historyEdge.textContent = loadingPage ? t('history.loading') : beginning ? t('history.start') : '';
}

/** Whether a page of history is on its way (one at a time). */
let loadingPage = false;

/**
 * Brings the page of history the scroll position asks for: an older one near the top, a newer one
 * near the bottom of a window that is behind the live end. The message the reader looks at stays
 * where it is on the screen.
 */
async function loadPage() {
  const s = view.scroller;
  const nearTop = s.scrollTop <= PAGE_SLACK;
  const nearBottom = s.scrollHeight - s.scrollTop - s.clientHeight <= PAGE_SLACK;
  const older = nearTop && state.older !== false && state.messages.length > 0;
  const newer = !older && nearBottom && state.detached;
  if (loadingPage || (!older && !newer)) {
    return;
  }
  loadingPage = true;
  renderHistoryEdge();
  const from = room;
  const [first, last] = [state.messages[0], state.messages.at(-1)];
  try {
    const page = await fetchHistory(room, older ? { before: first.id, limit: HISTORY_PAGE } : { after: last.id, limit: HISTORY_PAGE });
    if (from !== room || state.messages[0] !== first || state.messages.at(-1) !== last) {
      return; // the room changed meanwhile: this page may no longer fit
    }
    keepInPlace(() => {
      state = older ? withOlder(state, page, HISTORY_PAGE) : withNewer(state, page, HISTORY_PAGE);
      loadingPage = false;
      render();
    });
  } catch (e) {
    console.warn('Could not load a page of history', e);
  } finally {
    loadingPage = false;
    renderHistoryEdge();
  }
  fillView();
}

/** Keeps the first message in view at its place on the screen while {@code change} changes the list. */
function keepInPlace(change) {
  const s = view.scroller;
  const top = s.getBoundingClientRect().top;
  const anchor = [...view.messages.querySelectorAll(':scope > li.message')].find((item) => item.getBoundingClientRect().bottom > top);
  const before = anchor?.getBoundingClientRect().top;
  change();
  if (anchor?.isConnected) {
    s.scrollTop += anchor.getBoundingClientRect().top - before;
  }
}

/** A view not yet full (or scrolled to an edge) asks for the next page by itself. */
function fillView() {
  requestAnimationFrame(() => loadPage());
}

function isAtBottom() {
  const s = view.scroller;
  return s.scrollHeight - s.scrollTop - s.clientHeight <= FOLLOW_SLACK;
}

function scrollToBottom() {
  view.scroller.scrollTop = view.scroller.scrollHeight;
  view.newMessages.hidden = true;
}

async function refreshRooms() {
  try {
    const rooms = await fetchRooms();
    const lastRead = lastReadIn(localStorage, rooms, room);
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
  privateRoom.show(room, nick);
}

/**
 * Messages on their way (outbox.js). Each leaves the box at its Enter, so a second Enter has
 * nothing to send.
 */
const outbox = new Outbox({
  post: (entry) => postMessage(entry.room, nick, entry.text, entry.key),
  changed: ({ sent, pending, refused, error }) => {
    if (sent) {
      renderSendError(view.sendError, null);
    } else if (pending) {
      renderSendError(view.sendError, t('send.pending'));
    } else if (refused) {
      // Back in the box, with the reason, to be mended.
      if (refused.room === room && view.text.value === '') {
        view.text.value = refused.text;
      }
      renderSendError(view.sendError, error.problem ? problemSentence(t, error.problem) : String(error));
    }
    renderOutbox();
  },
});
/** When the room was last told this person types (0: tell it at the next keystroke). */
let typingToldAt = 0;

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
  view.text.value = '';
  typingToldAt = 0;
  outbox.add({ room, text, key: newPostKey() });
  scrollToBottom();
}

/** The room's messages still on their way, below the others, marked as such. */
function renderOutbox() {
  view.pending.replaceChildren(
    ...outbox.waitingIn(room).map((waiting) => {
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
function useNick(held, moderates = false) {
  nick = held;
  moderator = moderates;
  view.nick.value = held;
  view.signOut.hidden = held === '';
  view.moderatorBadge.hidden = !moderates;
  view.secretField.hidden = true;
  view.secret.value = '';
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
async function takeNick(chosen, reconnect = true, secret = undefined) {
  renderSendError(view.nickError, null);
  try {
    if (nick !== '') {
      await endSession();
    }
    const session = await startSession(chosen, secret);
    useNick(session.nick, session.moderator);
  } catch (e) {
    if (!e.problem) {
      throw e;
    }
    useNick('');
    view.nick.value = chosen;
    renderSendError(view.nickError, nickSentence(t, e.problem));
    // A reserved name may be a moderator's: the field for its secret shows.
    view.secretField.hidden = !(e.problem.type === 'reserved-name' || (secret !== undefined && e.problem.status === 401));
    return false;
  }
  renderSendError(view.sendError, null);
  await joinInvited();
  if (reconnect) {
    connect();
  }
  privateRoom.show(room, nick);
  return true;
}

/** Joins the private room of the invite link the page was opened with, once a nick is held. */
async function joinInvited() {
  if (invitation === null) {
    return;
  }
  if (nick === '') {
    renderSendError(view.nickError, t('private.joinNeedsNick', { room: invitation.room }));
    return;
  }
  const { room: invited, invite } = invitation;
  invitation = null;
  renderSendError(view.nickError, null);
  try {
    await joinRoom(invited, invite);
  } catch (e) {
    if (!e.problem) {
      throw e;
    }
    renderSendError(view.roomError, refusalSentence(t, e.problem));
  }
}

/**
 * Nickname changes, one after the other: Enter in the field both changes it and submits it, and a
 * second start racing the first would be refused as the first's own nick held.
 */
let nickChanges = Promise.resolve();
view.nickForm.addEventListener('submit', (e) => {
  e.preventDefault();
  const chosen = view.nick.value.trim();
  const secret = view.secretField.hidden || view.secret.value === '' ? undefined : view.secret.value;
  nickChanges = nickChanges.then(async () => {
    if ((chosen !== nick || secret !== undefined) && chosen !== '' && (await takeNick(chosen, true, secret))) {
      view.text.focus();
    } else if (!view.secretField.hidden) {
      view.secret.focus();
    }
  });
});
view.signOut.addEventListener('click', async () => {
  await endSession();
  useNick('');
  connect();
  privateRoom.show(room, nick);
  view.nick.focus();
});
view.nick.addEventListener('change', () => view.nickForm.requestSubmit());

view.roomForm.addEventListener('submit', async (e) => {
  e.preventDefault();
  const name = view.roomName.value.trim().toLowerCase();
  renderSendError(view.roomError, null);
  if (!ROOM_NAME.test(name)) {
    view.roomName.setCustomValidity(t('rooms.join.invalid'));
    view.roomName.reportValidity();
    return;
  }
  if (view.roomPrivate.checked) {
    try {
      const made = await createPrivateRoom(name);
      privateRoom.showInvite(made.name, made.inviteUrl);
    } catch (refused) {
      if (!refused.problem) {
        throw refused;
      }
      renderSendError(view.roomError, refusalSentence(t, refused.problem));
      return;
    }
    view.roomPrivate.checked = false;
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

$('skip').addEventListener('click', () => view.text.focus());

view.scroller.addEventListener('scroll', () => {
  if (isAtBottom() && !state.detached) {
    view.newMessages.hidden = true;
  }
  loadPage();
});
view.newMessages.addEventListener('click', () => {
  if (state.detached) {
    connect(); // back to the live end: the latest messages, as on arrival
  }
  scrollToBottom();
});

/**
 * Edit and Delete on the reader's own messages, Delete and Ban on anyone's for a moderator; the
 * stream's edit and delete events show the result (a ban, the sentence under the messages).
 */
view.messages.addEventListener('click', (e) => {
  const button = e.target.closest('button[data-action]');
  const item = button?.closest('li.message');
  const message = state.messages.find((shown) => shown.id === item?.dataset.id);
  if (!message) {
    return;
  }
  const inRoom = room;
  if (button.dataset.action === 'ban') {
    if (!item.querySelector('.ban-form')) {
      renderBanForm(item, message.author, (minutes) => minutes !== null && banAuthor(inRoom, message.author, minutes));
    }
    return;
  }
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

async function banAuthor(inRoom, author, minutes) {
  try {
    await ban(inRoom, author, minutes, newPostKey());
    const until = new Date(Date.now() + minutes * 60_000).toISOString();
    renderSendError(view.sendError, t('ban.done', { nick: author, time: formatDateTime(until) }));
  } catch (failure) {
    renderSendError(view.sendError, failure.problem ? refusalSentence(t, failure.problem) : String(failure));
  }
}

view.notify.checked = localStorage.getItem(NOTIFY_KEY) === '1';
view.notify.addEventListener('change', async () => {
  if (view.notify.checked && !(await askPermission())) {
    view.notify.checked = false;
    renderSendError(view.sendError, t('notify.denied'));
  }
  localStorage.setItem(NOTIFY_KEY, view.notify.checked ? '1' : '0');
});

document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'visible') {
    unread = 0;
    renderTitle();
    rememberRead(localStorage, room, state, true);
  }
});

window.addEventListener('online', () => {
  render();
  outbox.networkBack();
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
  renderMessages(view.messages, state.messages, { me: nick, moderator }, true);
  renderTitle();
  refreshRooms();
  privateRoom.show(room, nick);
});

/** Who this browser is: its session's nick, or the one it chose before, held again if it is free. */
async function signIn() {
  const remembered = nick;
  const session = await fetchSession().catch(() => null);
  if (session !== null) {
    useNick(session.nick, session.moderator);
    await joinInvited();
  } else if (remembered !== '') {
    nick = '';
    await takeNick(remembered, false);
  } else {
    useNick('');
    await joinInvited();
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
