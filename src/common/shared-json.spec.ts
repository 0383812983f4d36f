import { serializeAnswer, shareAnswer } from './shared-json';

describe('serializeAnswer', () => {
  it.each([
    ['an object', { a: 1 }, '{"a":1}'],
    ['an array', [1, 'x'], '[1,"x"]'],
    ['a string', 'text', '"text"'],
    ['null', null, 'null'],
  ])('serialises %s as JSON.stringify does', (_name, value, expected) => {
    expect(serializeAnswer(value)).toBe(expected);
  });

  it('serialises a shared answer once and sends that text again', () => {
    const answer = shareAnswer({ endpoints: [{ address: '10.0.0.1' }] });
    expect(serializeAnswer(answer)).toBe('{"endpoints":[{"address":"10.0.0.1"}]}');
    // Shared answers are never changed; this one is, to show the text is the first one's.
    answer.endpoints.push({ address: '10.0.0.2' });
    expect(serializeAnswer(answer)).toBe('{"endpoints":[{"address":"10.0.0.1"}]}');
  });

  it('serialises an answer that is not shared afresh every time', () => {
    const answer = { n: 1 };
    expect(serializeAnswer(answer)).toBe('{"n":1}');
    answer.n = 2;
    expect(serializeAnswer(answer)).toBe('{"n":2}');
  });
});
