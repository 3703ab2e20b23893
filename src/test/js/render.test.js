// Unit tests of link detection in the page's rendering (webapp/js/render.js), run with node's
// test runner. What becomes a link decides what a click on a message can open.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { textParts } from '../../../webapp/js/render.js';

test('text without a URL is one plain part', () => {
  assert.deepEqual(textParts('hello, world'), [{ text: 'hello, world' }]);
});

test('an empty text has no parts', () => {
  assert.deepEqual(textParts(''), []);
});

test('http and https URLs become links, with the text around them kept', () => {
  assert.deepEqual(textParts('see https://example.com/a?b=c#d and http://x.test/ too'), [
    { text: 'see ' },
    { url: 'https://example.com/a?b=c#d' },
    { text: ' and ' },
    { url: 'http://x.test/' },
    { text: ' too' },
  ]);
});

test('the scheme is matched in any case', () => {
  assert.deepEqual(textParts('HTTPS://EXAMPLE.COM'), [{ url: 'HTTPS://EXAMPLE.COM' }]);
});

test('punctuation that ends a sentence stays outside the link', () => {
  assert.deepEqual(textParts('look (https://example.com/x).'), [
    { text: 'look (' },
    { url: 'https://example.com/x' },
    { text: ').' },
  ]);
  assert.deepEqual(textParts('https://example.com/x, https://example.com/y!'), [
    { url: 'https://example.com/x' },
    { text: ', ' },
    { url: 'https://example.com/y' },
    { text: '!' },
  ]);
});

test('quotes and angle brackets end a link, so markup cannot ride in it', () => {
  assert.deepEqual(textParts('<https://example.com/"onmouseover=x>'), [
    { text: '<' },
    { url: 'https://example.com/' },
    { text: '"onmouseover=x>' },
  ]);
});

test('other schemes are never links', () => {
  for (const text of ['javascript:alert(1)', 'data:text/html,<b>x</b>', 'ftp://example.com', 'file:///etc/passwd']) {
    assert.deepEqual(textParts(text), [{ text }], text);
  }
});

test('a scheme inside a word is not the start of a link', () => {
  assert.deepEqual(textParts('xhttps://example.com'), [{ text: 'xhttps://example.com' }]);
});

test('a URL in Chinese text ends at the space before the next words', () => {
  assert.deepEqual(textParts('看这个 https://example.com/文章 很好'), [
    { text: '看这个 ' },
    { url: 'https://example.com/文章' },
    { text: ' 很好' },
  ]);
});

test('the parts joined give back the whole text', () => {
  const text = 'a https://a.test/1. b http://b.test/(2) c';
  assert.equal(textParts(text).map((part) => part.text ?? part.url).join(''), text);
});
