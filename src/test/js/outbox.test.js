// Unit tests of the page's outbox (webapp/js/outbox.js): order, one post at a time, the same key
// through every retry, refusals dropped and told. The network is a function the test settles.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Outbox, RETRY_FIRST_MILLIS, RETRY_MAX_MILLIS } from '../../../webapp/js/outbox.js';

const offline = () => Object.assign(new Error('offline'), { problem: { status: 0 } });
const refusal = () => Object.assign(new Error('refused'), { problem: { status: 400 } });

/** An outbox whose posts wait for the test: each call is recorded with a way to settle it. */
function outboxUnderTest() {
  const calls = [];
  const outcomes = [];
  const pauses = [];
  const outbox = new Outbox({
    post: (entry) =>
      new Promise((resolve, reject) => {
        calls.push({ entry, resolve, reject });
      }),
    changed: (outcome) => outcomes.push(outcome),
    wait: (millis) => {
      pauses.push(millis);
      return Promise.resolve();
    },
  });
  return { outbox, calls, outcomes, pauses };
}

const settled = () => new Promise((resolve) => setImmediate(resolve));

test('entries go out one at a time, in order', async () => {
  const { outbox, calls, outcomes } = outboxUnderTest();
  outbox.add({ room: 'lobby', text: 'one', key: 'k1' });
  outbox.add({ room: 'lobby', text: 'two', key: 'k2' });
  outbox.add({ room: 'ops', text: 'three', key: 'k3' });
  await settled();
  assert.equal(calls.length, 1, 'the second waits for the first');
  assert.deepEqual(outbox.waitingIn('lobby').map((e) => e.text), ['one', 'two']);
  assert.deepEqual(outbox.waitingIn('ops').map((e) => e.text), ['three']);
  for (let i = 0; i < 3; i++) {
    calls[i].resolve();
    await settled();
  }
  assert.deepEqual(calls.map((call) => call.entry.key), ['k1', 'k2', 'k3']);
  assert.deepEqual(outbox.waitingIn('lobby'), []);
  assert.deepEqual(
    outcomes.filter((outcome) => outcome.sent).map((outcome) => outcome.sent.key),
    ['k1', 'k2', 'k3'],
  );
});

test('a post the network loses is tried again under the same key, pausing longer each time', async () => {
  const { outbox, calls, outcomes, pauses } = outboxUnderTest();
  outbox.add({ room: 'lobby', text: 'hello', key: 'same' });
  for (let i = 0; i < 6; i++) {
    await settled();
    calls[i].reject(offline());
  }
  await settled();
  assert.equal(calls.length, 7);
  assert.ok(calls.every((call) => call.entry.key === 'same'), 'one key through every try');
  assert.deepEqual(pauses, [1_000, 2_000, 4_000, 8_000, RETRY_MAX_MILLIS, RETRY_MAX_MILLIS]);
  assert.equal(outcomes.filter((outcome) => outcome.pending).length, 6);
  assert.deepEqual(outbox.waitingIn('lobby').map((e) => e.text), ['hello'], 'never lost');
  calls[6].resolve();
  await settled();
  assert.deepEqual(outbox.waitingIn('lobby'), []);
  assert.equal(outcomes.at(-1).sent.key, 'same');
});

test('the network coming back ends the pause and starts again from the shortest', async () => {
  const calls = [];
  const pauses = [];
  let wakeUp = null;
  const outbox = new Outbox({
    post: (entry) => new Promise((resolve, reject) => calls.push({ entry, resolve, reject })),
    changed: () => {},
    wait: (millis, wake) => {
      pauses.push(millis);
      return new Promise((resume) => {
        wake(resume);
        wakeUp = resume;
      });
    },
  });
  outbox.add({ room: 'lobby', text: 'hello', key: 'k' });
  await settled();
  calls[0].reject(offline());
  await settled();
  assert.ok(wakeUp !== null, 'pausing');
  wakeUp();
  await settled();
  calls[1].reject(offline());
  await settled();
  assert.deepEqual(pauses, [RETRY_FIRST_MILLIS, 2 * RETRY_FIRST_MILLIS]);
  outbox.networkBack();
  await settled();
  assert.equal(calls.length, 3, 'tried again at once');
  calls[2].reject(offline());
  await settled();
  assert.equal(pauses.at(-1), RETRY_FIRST_MILLIS, 'the pause starts over');
});

test('a refused entry is dropped and told, and the next goes on', async () => {
  const { outbox, calls, outcomes } = outboxUnderTest();
  outbox.add({ room: 'lobby', text: 'bad', key: 'k1' });
  outbox.add({ room: 'lobby', text: 'good', key: 'k2' });
  await settled();
  calls[0].reject(refusal());
  await settled();
  const refused = outcomes.find((outcome) => outcome.refused);
  assert.equal(refused.refused.text, 'bad');
  assert.equal(refused.error.problem.status, 400);
  assert.equal(calls.length, 2);
  assert.equal(calls[1].entry.key, 'k2');
  calls[1].resolve();
  await settled();
  assert.deepEqual(outbox.waitingIn('lobby'), []);
});
