// Unit tests of the page's room state (webapp/js/state.js), run with node's test runner.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_MESSAGES, emptyRoom, reduce } from '../../../webapp/js/state.js';

const message = (id, text = `text ${id}`) => ({ id, author: 'alice', text, sentAt: '2026-12-01T10:00:00Z' });

test('a room starts connecting, empty, with no notice', () => {
  assert.deepEqual(emptyRoom(), { status: 'connecting', messages: [], online: [], notice: null, typing: [] });
});

test('messages are kept in arrival order', () => {
  const room = [message('1-1'), message('1-2'), message('1-3')].reduce(
    (state, m) => reduce(state, { type: 'message', message: m }),
    emptyRoom(),
  );
  assert.deepEqual(
    room.messages.map((m) => m.id),
    ['1-1', '1-2', '1-3'],
  );
});

test('a message that is already shown is not shown twice', () => {
  const once = reduce(emptyRoom(), { type: 'message', message: message('1-1') });
  const twice = reduce(once, { type: 'message', message: message('1-1', 'another text') });
  assert.equal(twice, once);
  assert.equal(twice.messages.length, 1);
  assert.equal(twice.messages[0].text, 'text 1-1');
});

test('only the latest MAX_MESSAGES are kept', () => {
  let room = emptyRoom();
  for (let i = 1; i <= MAX_MESSAGES + 3; i += 1) {
    room = reduce(room, { type: 'message', message: message(`1-${i}`) });
  }
  assert.equal(room.messages.length, MAX_MESSAGES);
  assert.equal(room.messages[0].id, '1-4');
  assert.equal(room.messages.at(-1).id, `1-${MAX_MESSAGES + 3}`);
});

test('the old state is left untouched', () => {
  const before = reduce(emptyRoom(), { type: 'message', message: message('1-1') });
  const frozen = structuredClone(before);
  reduce(before, { type: 'message', message: message('1-2') });
  reduce(before, { type: 'presence', online: ['bob'] });
  reduce(before, { type: 'reset', reason: 'expired' });
  reduce(before, { type: 'status', status: 'connected' });
  assert.deepEqual(before, frozen);
});

test('a reset empties the messages and says why, keeping who is online', () => {
  let room = reduce(emptyRoom(), { type: 'presence', online: ['alice'] });
  room = reduce(room, { type: 'message', message: message('1-1') });
  room = reduce(room, { type: 'reset', reason: 'expired' });
  assert.deepEqual(room.messages, []);
  assert.deepEqual(room.notice, { kind: 'reset', reason: 'expired' });
  assert.deepEqual(room.online, ['alice']);
});

test('presence replaces the list with a copy of the one sent', () => {
  const online = ['alice', 'bob'];
  const room = reduce(reduce(emptyRoom(), { type: 'presence', online: ['carol'] }), { type: 'presence', online });
  assert.deepEqual(room.online, ['alice', 'bob']);
  online.push('mallory');
  assert.deepEqual(room.online, ['alice', 'bob']);
});

test('status changes only the status', () => {
  const start = reduce(emptyRoom(), { type: 'message', message: message('1-1') });
  const room = reduce(start, { type: 'status', status: 'reconnecting' });
  assert.equal(room.status, 'reconnecting');
  assert.equal(room.messages, start.messages);
});

test('a snapshot replaces the whole state', () => {
  const snapshot = { status: 'connected', messages: [message('2-1')], online: ['bob'], notice: null };
  assert.equal(reduce(emptyRoom(), { type: 'snapshot', room: snapshot }), snapshot);
});

test('an event the page does not know changes nothing', () => {
  const room = emptyRoom();
  assert.equal(reduce(room, { type: 'connected' }), room);
  assert.equal(reduce(room, { type: 'something-new' }), room);
});

test('an edit changes the shown message in place; one of a message not shown changes nothing', () => {
  const room = [message('1-1'), message('1-2')].reduce((state, m) => reduce(state, { type: 'message', message: m }), emptyRoom());
  const edited = reduce(room, { type: 'edit', edit: { id: '1-3', target: '1-1', text: 'new', editedAt: '2026-12-01T10:01:00Z', mentions: [] } });
  assert.deepEqual(
    edited.messages.map((m) => [m.id, m.text, m.editedAt]),
    [
      ['1-1', 'new', '2026-12-01T10:01:00Z'],
      ['1-2', 'text 1-2', undefined],
    ],
  );
  assert.equal(room.messages[0].text, 'text 1-1', 'the old state is untouched');
  assert.equal(reduce(room, { type: 'edit', edit: { id: '1-4', target: '0-9', text: 'x' } }), room);
});

test('a deletion removes the message; a repeated one changes nothing', () => {
  const room = [message('1-1'), message('1-2')].reduce((state, m) => reduce(state, { type: 'message', message: m }), emptyRoom());
  const deleted = reduce(room, { type: 'delete', target: '1-1' });
  assert.deepEqual(
    deleted.messages.map((m) => m.id),
    ['1-2'],
  );
  assert.equal(reduce(deleted, { type: 'delete', target: '1-1' }), deleted);
});
