// Turns state into DOM, in the page's language (useLanguage). User content goes in only through
// textContent (and href for links that are checked to be http or https), never through innerHTML.
import { translator, typingSentence } from './i18n.js';
import { arrange, hueOf, mentionParts, mentions } from './layout.js';

const RESETS = ['expired', 'unknown', 'malformed'];

const URL_PATTERN = /\bhttps?:\/\/[^\s<>"']+/gi;
const TRAILING_PUNCTUATION = /[.,;:!?)\]]+$/;
let t = translator('en');
let timeFormat = new Intl.DateTimeFormat('en', { hour: '2-digit', minute: '2-digit' });
let dateTimeFormat = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'medium' });
let dayFormat = new Intl.DateTimeFormat('en', { dateStyle: 'full' });
/** The reader's day of a time (in their time zone), as a key. */
const dayKeyFormat = new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit' });
const dayKey = (date) => dayKeyFormat.format(date);

/** Renders in this language from now on: its words, and its dates and times (Intl). */
export function useLanguage(language) {
  t = translator(language);
  timeFormat = new Intl.DateTimeFormat(language, { hour: '2-digit', minute: '2-digit' });
  dateTimeFormat = new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'medium' });
  dayFormat = new Intl.DateTimeFormat(language, { dateStyle: 'full' });
  return t;
}

export function renderStatus(element, status) {
  element.dataset.state = status;
  element.textContent = t(`status.${status}`);
}

/** The notice above the messages: why the history was reset, or why the room cannot be shown. */
export function renderNotice(element, notice, room) {
  element.hidden = notice === null;
  if (notice === null) {
    return;
  }
  if (notice.kind === 'reset') {
    element.textContent = t(RESETS.includes(notice.reason) ? `reset.${notice.reason}` : 'reset.other');
  } else if (notice.kind === 'banned') {
    element.textContent = t('notice.banned', { time: notice.until ? dateTimeFormat.format(new Date(notice.until)) : '?' });
  } else if (notice.kind === 'removed') {
    element.textContent = t('notice.removed');
  } else {
    element.textContent = t('notice.noAccess', { room });
  }
}

/** A time as the page's language writes a date and time. */
export function formatDateTime(iso) {
  return dateTimeFormat.format(new Date(iso));
}

/**
 * Puts a moderator's ban form under a message: how long, Ban or Cancel (Escape).
 * @param {(minutes: number|null) => void} done the chosen minutes, or null when given up
 */
export function renderBanForm(item, nick, done) {
  const form = document.createElement('form');
  form.className = 'ban-form';
  const label = document.createElement('label');
  const choice = document.createElement('select');
  choice.id = `ban-${item.dataset.id}`;
  label.htmlFor = choice.id;
  label.textContent = t('ban.label', { nick });
  for (const minutes of [10, 60, 1440, 10080]) {
    const option = document.createElement('option');
    option.value = String(minutes);
    option.textContent = t(`ban.${minutes}`);
    choice.append(option);
  }
  choice.value = '60';
  const cancel = button('button', t('message.cancel'));
  form.append(label, choice, button('submit', t('ban.confirm')), cancel);
  item.append(form);
  const close = (result) => {
    form.remove();
    done(result);
  };
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    close(Number(choice.value));
  });
  cancel.addEventListener('click', () => close(null));
  form.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') {
      close(null);
    }
  });
  choice.focus();
}

function button(type, text) {
  const made = document.createElement('button');
  made.type = type;
  made.textContent = text;
  return made;
}

/**
 * Puts a form to change a message's text in place of its text: Enter (not while an input method
 * composes) or Save submits, Escape or Cancel gives up.
 * @param {(text: string|null) => void} done the new text, or null when given up
 */
export function renderEditor(item, text, done) {
  const form = document.createElement('form');
  form.className = 'editor';
  const box = document.createElement('textarea');
  box.value = text;
  box.rows = 2;
  box.setAttribute('aria-label', t('message.editLabel'));
  const cancel = button('button', t('message.cancel'));
  form.append(box, button('submit', t('message.save')), cancel);
  const shown = item.querySelector('.text');
  shown.hidden = true;
  shown.after(form);
  const close = (result) => {
    form.remove();
    shown.hidden = false;
    done(result);
  };
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    close(box.value);
  });
  cancel.addEventListener('click', () => close(null));
  box.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') {
      close(null);
    } else if (e.key === 'Enter' && !e.shiftKey && !e.isComposing && e.keyCode !== 229) {
      e.preventDefault();
      form.requestSubmit();
    }
  });
  box.focus();
}

/** "alice is typing…", or nothing. */
export function renderTyping(element, names) {
  element.textContent = typingSentence(t, names);
}

/**
 * Makes the list show exactly these messages, in this order, for the reader ({@code viewer}: their
 * nick {@code me}, and whether they moderate): their own messages and those that mention them
 * marked, consecutive messages of one author grouped, a separator where a day starts. A keyed
 * pass: items of messages that went are removed, an edited message's item (and every item, when
 * {@code fresh}) is made again in its place, and new ones are put where they belong (at the end as
 * they arrive, at the top for an older page).
 * @returns how many messages were added
 */
export function renderMessages(list, messages, viewer = { me: '', moderator: false }, fresh = false) {
  const who = `${viewer.me}${viewer.moderator ? '\n*' : ''}`;
  const wanted = new Map(messages.map((message) => [message.id, message]));
  const items = new Map();
  for (const item of [...list.querySelectorAll(':scope > li.message')]) {
    const message = wanted.get(item.dataset.id);
    if (message === undefined) {
      item.remove();
    } else if (fresh || item.dataset.viewer !== who || (message.editedAt ?? '') !== (item.dataset.editedAt ?? '')) {
      const made = messageItem(message, viewer, who);
      item.replaceWith(made);
      items.set(message.id, made);
    } else {
      items.set(message.id, item);
    }
  }
  let added = 0;
  let next = nextMessageItem(list.firstElementChild);
  for (const message of messages) {
    let item = items.get(message.id);
    if (item === undefined) {
      item = messageItem(message, viewer, who);
      added += 1;
    }
    if (item === next) {
      next = nextMessageItem(item.nextElementSibling);
    } else {
      list.insertBefore(item, next);
    }
  }
  arrangeItems(list, messages, fresh);
  return added;
}

/** The first message item from this element on (day separators are skipped), or null. */
function nextMessageItem(element) {
  let at = element;
  while (at !== null && !at.classList.contains('message')) {
    at = at.nextElementSibling;
  }
  return at;
}

/** Groups the items and puts a day's separator before its first message (only where it changed). */
function arrangeItems(list, messages, fresh) {
  const items = [...list.querySelectorAll(':scope > li.message')];
  const laid = arrange(messages, dayKey);
  const keep = new Set();
  items.forEach((item, i) => {
    item.classList.toggle('continued', laid[i].continued);
    if (laid[i].day === null) {
      return;
    }
    const before = item.previousElementSibling;
    if (!fresh && before?.classList.contains('day') && before.dataset.day === laid[i].day) {
      keep.add(before);
      return;
    }
    const separator = document.createElement('li');
    separator.className = 'day';
    separator.dataset.day = laid[i].day;
    separator.textContent = dayFormat.format(new Date(messages[i].sentAt));
    item.before(separator);
    keep.add(separator);
  });
  for (const separator of list.querySelectorAll(':scope > li.day')) {
    if (!keep.has(separator)) {
      separator.remove();
    }
  }
}

function messageItem(message, viewer, who) {
  const { me } = viewer;
  const item = document.createElement('li');
  item.className = 'message';
  item.dataset.id = message.id;
  item.dataset.viewer = who;
  if (me !== '' && message.author === me && !message.integration) {
    item.classList.add('mine');
  }
  if (mentions(message, me)) {
    item.classList.add('mentions-me');
  }
  const author = document.createElement('span');
  author.className = 'author';
  author.textContent = message.author;
  author.style.setProperty('--hue', String(hueOf(message.author)));
  const time = document.createElement('time');
  const sentAt = new Date(message.sentAt);
  time.dateTime = message.sentAt;
  time.textContent = timeFormat.format(sentAt);
  time.title = dateTimeFormat.format(sentAt);
  const text = document.createElement('p');
  text.className = 'text';
  text.append(...withLinks(message.text, me));

  if (message.integration) {
    // Only a token's posts are marked: a person cannot pass for an integration, whatever the name.
    item.classList.add('from-integration');
    const badge = document.createElement('span');
    badge.className = 'badge';
    badge.textContent = t('message.integration');
    badge.title = t('message.integration.title');
    item.append(author, ' ', badge, ' ', time, text);
  } else {
    item.append(author, ' ', time, text);
  }
  const mine = item.classList.contains('mine');
  const possible = mine ? ['edit', 'delete'] : viewer.moderator ? (message.integration ? ['delete'] : ['delete', 'ban']) : [];
  if (possible.length > 0) {
    const actions = document.createElement('span');
    actions.className = 'actions';
    for (const action of possible) {
      const made = button('button', t(`message.${action}`));
      made.dataset.action = action;
      actions.append(made);
    }
    text.before(actions);
  }
  if (message.editedAt) {
    item.dataset.editedAt = message.editedAt;
    const edited = document.createElement('span');
    edited.className = 'edited';
    edited.textContent = t('message.edited');
    edited.title = dateTimeFormat.format(new Date(message.editedAt));
    time.after(' ', edited);
  }
  return item;
}

/**
 * Splits a message's text into its parts: plain text and http(s) URLs, in order. A URL ends at
 * whitespace, a quote or an angle bracket; punctuation that closes a sentence is left outside it.
 * @returns [{text}] and [{url}] objects whose texts, joined, are the whole text
 */
export function textParts(text) {
  const parts = [];
  let start = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    const url = match[0].replace(TRAILING_PUNCTUATION, '');
    if (match.index > start) {
      parts.push({ text: text.slice(start, match.index) });
    }
    parts.push({ url });
    start = match.index + url.length;
  }
  if (start < text.length) {
    parts.push({ text: text.slice(start) });
  }
  return parts;
}

/**
 * The text as text nodes, with each http(s) URL as a link that cannot reach back to this page and
 * each @mention marked (the reader's own strongly).
 */
function withLinks(text, me) {
  return textParts(text).flatMap((part) => {
    if (part.url === undefined) {
      return mentionParts(part.text).map((piece) => {
        if (piece.mention === undefined) {
          return document.createTextNode(piece.text);
        }
        const mark = document.createElement(piece.mention.toLocaleLowerCase() === me.toLocaleLowerCase() ? 'mark' : 'span');
        mark.className = 'mention';
        mark.textContent = piece.text;
        return mark;
      });
    }
    const link = document.createElement('a');
    link.href = part.url;
    link.textContent = part.url;
    link.rel = 'noopener noreferrer';
    link.target = '_blank';
    return link;
  });
}

export function renderOnline(list, online, me) {
  list.replaceChildren(
    ...online.map((nick) => {
      const item = document.createElement('li');
      item.textContent = nick;
      if (nick === me) {
        item.append(` ${t('online.you')}`);
        item.className = 'me';
      }
      return item;
    }),
  );
}

/** Rooms listed at most; the busiest first. */
const MAX_ROOMS = 50;

/**
 * @param {Map<string, {unread: number, mentioned?: boolean}>} unread counts of the rooms not shown
 *   (100 stands for more than 99)
 */
export function renderRooms(list, rooms, current, unread = new Map()) {
  const busiest = [...rooms].sort((a, b) => b.online - a.online || a.name.localeCompare(b.name)).slice(0, MAX_ROOMS);
  const shown = busiest.some((room) => room.name === current) ? busiest : [{ name: current, online: 0 }, ...busiest];
  // Drawn again on every change of presence: a keyboard's focus on a link stays on that room's.
  const focused = list.contains(document.activeElement) ? document.activeElement.getAttribute('href') : null;
  list.replaceChildren(
    ...shown.map((room) => {
      const item = document.createElement('li');
      const link = document.createElement('a');
      link.href = `#/room/${room.name}`;
      link.textContent = `#${room.name}`;
      if (room.name === current) {
        link.setAttribute('aria-current', 'page');
      }
      const count = document.createElement('span');
      count.className = 'count';
      count.textContent = t('rooms.online', { count: room.online });
      item.append(link, ' ', count);
      const counted = unread.get(room.name);
      if (counted && counted.unread > 0 && room.name !== current) {
        const badge = document.createElement('span');
        badge.className = 'unread';
        badge.textContent = counted.unread >= 100 ? '99+' : String(counted.unread);
        badge.title = counted.unread >= 100 ? t('rooms.unread.many') : t('rooms.unread', { count: counted.unread });
        badge.setAttribute('aria-label', badge.title);
        item.append(' ', badge);
        if (counted.mentioned) {
          const mention = document.createElement('span');
          mention.className = 'mentioned';
          mention.textContent = '@';
          mention.title = t('rooms.mentioned');
          mention.setAttribute('aria-label', mention.title);
          item.append(' ', mention);
        }
      }
      return item;
    }),
  );
  if (focused !== null) {
    [...list.querySelectorAll('a')].find((link) => link.getAttribute('href') === focused)?.focus();
  }
}

export function renderSendError(element, message) {
  element.hidden = message === null;
  element.textContent = message ?? '';
}
