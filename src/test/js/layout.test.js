// Unit tests of how messages are laid out (webapp/js/layout.js), run with node's test runner.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GROUP_MILLIS, arrange, hueOf, mentionParts, mentions } from '../../../webapp/js/layout.js';

const dayOf = (date) => date.toISOString().slice(0, 10);
const at = (iso, author, integration = false) => ({ author, integration, sentAt: iso });

test('a day starts a group; one author close in time continues it', () => {
  const laid = arrange(
    [
      at('2026-12-01T10:00:00Z', 'alice'),
      at('2026-12-01T10:01:00Z', 'alice'),
      at('2026-12-01T10:02:00Z', 'bob'),
      at('2026-12-01T10:03:00Z', 'alice'),
      at('2026-12-01T10:03:30Z', 'alice', true),
      at('2026-12-02T00:00:01Z', 'alice', true),
    ],
    dayOf,
  );
  assert.deepEqual(laid, [
    { day: '2026-12-01', continued: false },
    { day: null, continued: true },
    { day: null, continued: false },
    { day: null, continued: false },
    { day: null, continued: false },
    { day: '2026-12-02', continued: false },
  ]);
});

test('a long pause starts a new group', () => {
  const later = new Date(Date.parse('2026-12-01T10:00:00Z') + GROUP_MILLIS).toISOString();
  assert.deepEqual(
    arrange([at('2026-12-01T10:00:00Z', 'alice'), at(later, 'alice')], dayOf).map((m) => m.continued),
    [false, false],
  );
});

test('an author keeps a colour', () => {
  assert.equal(hueOf('alice'), hueOf('alice'));
  assert.notEqual(hueOf('alice'), hueOf('bob'));
  assert.ok(hueOf('爱丽丝') >= 0 && hueOf('爱丽丝') < 360);
});

test('mentions are split out of a text as the server reads them', () => {
  assert.deepEqual(mentionParts('hi @bob, see @carol.'), [
    { text: 'hi ' },
    { mention: 'bob', text: '@bob' },
    { text: ', see ' },
    { mention: 'carol', text: '@carol' },
    { text: '.' },
  ]);
  assert.deepEqual(mentionParts('mail me at ann@example.org'), [{ text: 'mail me at ann@example.org' }]);
  assert.deepEqual(mentionParts('@小明 你好'), [{ mention: '小明', text: '@小明' }, { text: ' 你好' }]);
  assert.equal(mentions({ mentions: ['Bob'] }, 'bob'), true);
  assert.equal(mentions({ mentions: [] }, 'bob'), false);
  assert.equal(mentions({}, ''), false);
});
