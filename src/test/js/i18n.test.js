// Unit tests of the page's languages (webapp/js/i18n.js), run with node's test runner.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LANGUAGES, keys, nickSentence, pickLanguage, problemSentence, refusalSentence, translator, typingSentence } from '../../../webapp/js/i18n.js';

test('both languages have every word', () => {
  assert.deepEqual([...keys('zh-CN')].sort(), [...keys('en')].sort());
  assert.deepEqual(LANGUAGES, ['en', 'zh-CN']);
});

test('the language is the one chosen before, else the first of the browser\'s the page speaks', () => {
  assert.equal(pickLanguage(['zh-CN', 'en'], null), 'zh-CN');
  assert.equal(pickLanguage(['zh'], null), 'zh-CN');
  assert.equal(pickLanguage(['zh-Hans-CN'], null), 'zh-CN');
  assert.equal(pickLanguage(['fr', 'en-GB', 'zh-CN'], null), 'en');
  assert.equal(pickLanguage(['fr', 'de'], null), 'en');
  assert.equal(pickLanguage([], null), 'en');
  assert.equal(pickLanguage(['en-US'], 'zh-CN'), 'zh-CN', 'the switch wins');
  assert.equal(pickLanguage(['zh-CN'], 'klingon'), 'zh-CN', 'an unknown stored choice is ignored');
});

test('words are filled in, and a missing word shows its key', () => {
  const zh = translator('zh-CN');
  assert.equal(zh('rooms.online', { count: 3 }), '3 人在线');
  assert.equal(translator('en')('rooms.online', { count: 3 }), '3 online');
  assert.equal(zh('no.such.key'), 'no.such.key');
});

test('refusals become sentences by their type and fields, not the server\'s English', () => {
  const zh = translator('zh-CN');
  assert.equal(problemSentence(zh, { type: 'posts-per-client', fields: [], status: 429, retryAfter: '2' }), '未发送：发送太快了，请 2 秒后再试。');
  assert.equal(problemSentence(zh, { type: 'invalid-input', fields: ['text'], status: 400, retryAfter: null }), '未发送：消息为空、过长或含有控制字符。');
  assert.equal(problemSentence(zh, { type: 'invalid-input', fields: ['text'], codes: ['too-long'], status: 400, retryAfter: null }), '未发送：消息太长。');
  assert.equal(problemSentence(zh, { type: 'nick-held', fields: [], status: 403, retryAfter: null }), '未发送：该昵称已被他人占用。');
  assert.equal(problemSentence(zh, { type: null, fields: [], status: 0, retryAfter: null }), '无法连接服务器，消息未发送。');
  assert.equal(problemSentence(translator('en'), { type: null, fields: [], status: 502, retryAfter: null }), 'Not sent: the server answered 502.');
});

test('who is typing, as one sentence', () => {
  const en = translator('en');
  assert.equal(typingSentence(en, []), '');
  assert.equal(typingSentence(en, ['alice']), 'alice is typing…');
  assert.equal(typingSentence(en, ['alice', 'bob']), 'alice and bob are typing…');
  assert.equal(typingSentence(en, ['a', 'b', 'c', 'd']), 'a, b and 2 others are typing…');
  assert.equal(typingSentence(translator('zh-CN'), ['alice']), 'alice 正在输入…');
});

test('refusals of what is not a post, and of a nick, in the reader\'s words', () => {
  const en = translator('en');
  const zh = translator('zh-CN');
  assert.equal(refusalSentence(en, { type: 'room-name-taken', status: 409 }), 'That name is taken: choose another for a private room.');
  assert.equal(refusalSentence(zh, { type: 'owner-only', status: 403 }), '只有聊天室的所有者可以这样做。');
  assert.equal(refusalSentence(en, { type: 'no-such-room', status: 404 }), 'This invite is not valid (any more). Ask the room’s owner for a new link.');
  assert.equal(refusalSentence(en, { type: null, status: 429, retryAfter: '3' }), 'Too many tries. Wait 3 s.');
  assert.equal(refusalSentence(en, { type: null, status: 0 }), 'Could not reach the server. Try again.');
  assert.equal(refusalSentence(en, { type: 'something-new', status: 418 }), 'The server answered 418.');
  assert.equal(nickSentence(en, { type: 'reserved-name', status: 403 }), 'This name is reserved. If it is yours, enter its secret below.');
  assert.equal(nickSentence(zh, { type: null, status: 401 }), '该密钥与此名称不符。');
});
