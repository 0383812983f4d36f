import { ApiError } from './status';
import { parseQueryBool } from './query-bool';

describe(parseQueryBool.name, () => {
  it.each([
    ['true', true], ['True', true], ['TRUE', true], ['1', true], ['t', true], ['T', true],
    ['false', false], ['False', false], ['FALSE', false], ['0', false], ['f', false], ['F', false],
    [undefined, undefined], ['', undefined], [['false', 'true'], true],
  ])('%j is %s', (value, expected) => {
    expect(parseQueryBool('watch', value as string | string[] | undefined)).toBe(expected);
  });

  it.each(['yes', 'tRUE', '2', 'on', ' true'])('%j is a 400 naming the parameter', (value) => {
    try {
      parseQueryBool('watch', value);
      throw new Error('accepted');
    } catch (error) {
      expect(error).toBeInstanceOf(ApiError);
      expect((error as ApiError).status).toMatchObject({ code: 400, reason: 'BadRequest' });
      expect((error as ApiError).message).toContain('watch: Invalid value');
    }
  });
});
