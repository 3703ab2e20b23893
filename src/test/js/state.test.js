// Unit tests of the page's room state (webapp/js/state.js), run with node's test runner.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_MESSAGES, emptyRoom, reduce, withNewer, withOlder } from '../../../webapp/js/state.js';

const message = (id, text = `text ${id}`) => ({ id, author: 'alice', text, sentAt: '2026-12-01T10:00:00Z' });

test('a room starts connecting, empty, with no notice', () => {
  assert.deepEqual(emptyRoom(), { status: 'connecting', messages: [], online: [], notice: null, typing: [], older: null, detached: false, later: [] });
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
  const snapshot = { ...emptyRoom(), status: 'connected', messages: [message('2-1')], online: ['bob'] };
  assert.deepEqual(reduce(reduce(emptyRoom(), { type: 'message', message: message('1-1') }), { type: 'snapshot', room: snapshot }), snapshot);
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

const ids = (messages) => messages.map((m) => m.id);
const run = (from, to) => Array.from({ length: to - from + 1 }, (_, i) => message(`1-${from + i}`));
const live = (room, messages) => messages.reduce((state, m) => reduce(state, { type: 'message', message: m }), room);

test('scrolling back adds older pages at the top; a short page is the beginning', () => {
  let room = live(emptyRoom(), run(201, 210));
  room = withOlder(room, run(101, 200), 100);
  assert.deepEqual(ids(room.messages).slice(0, 2), ['1-101', '1-102']);
  assert.equal(room.messages.length, 110);
  assert.equal(room.older, true);
  room = withOlder(room, run(1, 100).slice(50), 100);
  assert.equal(room.older, false);
  assert.equal(room.messages[0].id, '1-51');
  assert.equal(room.detached, false);
});

test('the window never holds more than MAX_MESSAGES: scrolling back far drops the newest and detaches it', () => {
  let room = live(emptyRoom(), run(1001, 1100));
  for (let top = 1000; top > 0; top -= 100) {
    room = withOlder(room, run(top - 99, top), 100);
    assert.ok(room.messages.length <= MAX_MESSAGES);
  }
  assert.equal(room.messages[0].id, '1-1');
  assert.equal(room.messages.length, MAX_MESSAGES);
  assert.equal(room.detached, true);
  assert.equal(room.messages.at(-1).id, `1-${MAX_MESSAGES}`);
});

test('while detached, live messages wait below, and reaching the live end again shows them once, in order', () => {
  let room = live(emptyRoom(), run(601, 700));
  for (let top = 600; top > 0; top -= 100) {
    room = withOlder(room, run(top - 99, top), 100);
  }
  assert.equal(room.detached, true);
  room = live(room, run(701, 703));
  assert.deepEqual(ids(room.later), ['1-701', '1-702', '1-703']);
  assert.equal(room.messages.at(-1).id, '1-500', 'the window stays where the reader is');
  room = reduce(room, { type: 'edit', edit: { id: '1-704', target: '1-702', text: 'changed', editedAt: '2026-12-01T10:01:00Z', mentions: [] } });
  room = reduce(room, { type: 'delete', target: '1-703' });

  room = withNewer(room, run(501, 600), 100);
  assert.equal(room.detached, true, 'a full page: more may follow');
  assert.equal(room.messages.length, MAX_MESSAGES);
  assert.equal(room.messages[0].id, '1-101');
  assert.equal(room.older, true);
  // The last page overlaps what came live (1-701 was read by both): each shows once.
  room = withNewer(room, run(601, 701), 200);
  assert.equal(room.detached, false);
  assert.deepEqual(ids(room.messages).slice(-3), ['1-700', '1-701', '1-702']);
  assert.equal(room.messages.at(-1).text, 'changed');
  assert.deepEqual(room.later, []);
  assert.equal(new Set(ids(room.messages)).size, room.messages.length);
  room = live(room, run(705, 705));
  assert.equal(room.messages.at(-1).id, '1-705', 'live messages show again');
});

test('a live window that drops its oldest knows there is more to scroll back to', () => {
  const room = live(emptyRoom(), run(1, MAX_MESSAGES + 1));
  assert.equal(room.older, true);
  assert.equal(room.detached, false);
});

test('a reset forgets the window and whatever waited below it', () => {
  let room = withOlder(live(emptyRoom(), run(501, 600)), run(1, 500), 500);
  room = live(room, run(601, 602));
  room = reduce(room, { type: 'reset', reason: 'expired' });
  assert.deepEqual([room.messages, room.later, room.detached, room.older], [[], [], false, null]);
});

test('an ended stream says why until a stream is open again; a reset notice stays', () => {
  let room = reduce(emptyRoom(), { type: 'ended', reason: 'banned', until: '2026-12-06T10:00:00Z' });
  assert.deepEqual(room.notice, { kind: 'banned', until: '2026-12-06T10:00:00Z' });
  room = reduce(room, { type: 'connected' });
  assert.equal(room.notice, null);
  room = reduce(room, { type: 'reset', reason: 'expired' });
  assert.equal(reduce(room, { type: 'connected' }), room);
  assert.deepEqual(reduce(room, { type: 'notice', notice: { kind: 'no-access' } }).notice, { kind: 'no-access' });
});
