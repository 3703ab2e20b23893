// Unit tests of the page's unread bookkeeping (webapp/js/unread.js) and its choice of when to
// notify (webapp/js/notify.js), run with node's test runner, with a Map for localStorage.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_COUNTED_ROOMS, READ_KEY, lastReadIn, rememberRead, titleOf } from '../../../webapp/js/unread.js';
import { shouldNotify } from '../../../webapp/js/notify.js';

class MemoryStorage {
  constructor() {
    this.values = new Map();
  }
  getItem(key) {
    return this.values.has(key) ? this.values.get(key) : null;
  }
  setItem(key, value) {
    this.values.set(key, String(value));
  }
}

const shown = (...ids) => ({ messages: ids.map((id) => ({ id })), detached: false });

test('the newest message shown counts as read while the page is seen', () => {
  const storage = new MemoryStorage();
  rememberRead(storage, 'lobby', shown('1-1', '1-2'), true);
  assert.equal(storage.getItem(`${READ_KEY}lobby`), '1-2');
  rememberRead(storage, 'lobby', shown('1-1', '1-2', '1-3'), false);
  assert.equal(storage.getItem(`${READ_KEY}lobby`), '1-2', 'not while the tab is hidden');
  rememberRead(storage, 'lobby', shown(), true);
  assert.equal(storage.getItem(`${READ_KEY}lobby`), '1-2', 'an empty room changes nothing');
  rememberRead(storage, 'lobby', { ...shown('0-1', '0-2'), detached: true }, true);
  assert.equal(storage.getItem(`${READ_KEY}lobby`), '1-2', 'not while scrolled back past the live end');
});

test('the rooms counted are the listed ones read before, but the one shown', () => {
  const storage = new MemoryStorage();
  storage.setItem(`${READ_KEY}lobby`, '1-2');
  storage.setItem(`${READ_KEY}ops`, '4-9');
  storage.setItem(`${READ_KEY}gone`, '7-7');
  const rooms = [{ name: 'lobby' }, { name: 'ops' }, { name: 'never-read' }];
  assert.deepEqual([...lastReadIn(storage, rooms, 'lobby')], [['ops', '4-9']]);
  assert.deepEqual([...lastReadIn(storage, rooms, 'elsewhere')], [
    ['lobby', '1-2'],
    ['ops', '4-9'],
  ]);
});

test('at most MAX_COUNTED_ROOMS rooms are counted at once', () => {
  const storage = new MemoryStorage();
  const rooms = Array.from({ length: MAX_COUNTED_ROOMS + 20 }, (_, i) => ({ name: `r${i}` }));
  rooms.forEach((room) => storage.setItem(READ_KEY + room.name, '1-1'));
  assert.equal(lastReadIn(storage, rooms, 'r0').size, MAX_COUNTED_ROOMS);
  assert.equal(lastReadIn(storage, rooms, 'r0').has('r0'), false);
});

test('the title counts what came while the tab was hidden', () => {
  assert.equal(titleOf('lobby', 0), '#lobby · Parley');
  assert.equal(titleOf('lobby', 3), '(3) #lobby · Parley');
});

test('a notification only for someone else naming the reader, opted in, allowed, and hidden', () => {
  const message = { id: '1-1', author: 'bob', text: '@alice look', mentions: ['Alice'] };
  const yes = { optedIn: true, permission: 'granted', hidden: true, message, me: 'alice' };
  assert.equal(shouldNotify(yes), true);
  assert.equal(shouldNotify({ ...yes, optedIn: false }), false);
  assert.equal(shouldNotify({ ...yes, permission: 'default' }), false);
  assert.equal(shouldNotify({ ...yes, hidden: false }), false);
  assert.equal(shouldNotify({ ...yes, me: '' }), false);
  assert.equal(shouldNotify({ ...yes, me: 'carol' }), false);
  assert.equal(shouldNotify({ ...yes, message: { ...message, author: 'alice' } }), false);
});
