import { createReadStream, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { parsePathFile, parsePathFileLines, PathFileError } from '../../src/attribution/index.ts';
import { PATH_DATA_CSV } from './golden.ts';

function errorOf(text: string): PathFileError {
  try {
    parsePathFile(text);
  } catch (e) {
    if (e instanceof PathFileError) return e;
    throw e;
  }
  throw new Error('expected a PathFileError');
}

describe('parsePathFile', () => {
  it('reads quoted and unquoted fields, CRLF, a BOM and blank lines', () => {
    const text = '\uFEFFpath,total_conversions,total_conversion_value,total_null\r\n"a > b",1,2.5,3\r\n\r\nc,0,0,4\r\n"say ""hi"" > c",2,1,0\r\n';
    expect(parsePathFile(text)).toEqual([
      { path: ['a', 'b'], conversions: 1, value: 2.5, nulls: 3 },
      { path: ['c'], conversions: 0, value: 0, nulls: 4 },
      { path: ['say "hi"', 'c'], conversions: 2, value: 1, nulls: 0 },
    ]);
  });

  it('treats the value and null columns as optional and accepts any column order', () => {
    expect(parsePathFile('total_conversions,path\n3,x > y\n')).toEqual([{ path: ['x', 'y'], conversions: 3, value: 0, nulls: 0 }]);
    expect(parsePathFile('path,total_null,total_conversions\nx,2,1\n')).toEqual([{ path: ['x'], conversions: 1, value: 0, nulls: 2 }]);
  });

  it('merges repeated paths', () => {
    expect(parsePathFile('path,total_conversions,total_null\na > b,1,1\nb,1,0\na > b,2,5\n')).toEqual([
      { path: ['a', 'b'], conversions: 3, value: 0, nulls: 6 },
      { path: ['b'], conversions: 1, value: 0, nulls: 0 },
    ]);
  });

  it('reads PathData.csv from a string and from a line stream alike', async () => {
    const fromText = parsePathFile(readFileSync(PATH_DATA_CSV, 'utf8'));
    const lines = createInterface({ input: createReadStream(PATH_DATA_CSV), crlfDelay: Infinity });
    const fromStream = await parsePathFileLines(lines);
    expect(fromStream).toEqual(fromText);
    expect(fromText).toHaveLength(5408);
    expect(new Set(fromText.flatMap((p) => p.path)).size).toBe(12);
  });
});

describe('parsePathFile errors name the line', () => {
  const header = 'path,total_conversions,total_conversion_value,total_null\n';
  it.each([
    ['', 1, /empty file/],
    ['\n\n', 2, /empty file/],
    [header, 1, /no path rows/],
    ['path,conversions\n', 1, /unknown column "conversions"/],
    ['path,total_null\n', 1, /missing required column "total_conversions"/],
    ['path,path,total_conversions\n', 1, /duplicate column "path"/],
    [`${header}a > b,1,1,1\na>b,1,1,1\n`, 3, /contains ">" without spaces/],
    [`${header}"a,b,c",1,1,1\n`, 2, /looks separated by ","/],
    [`${header}a|b|c,1,1,1\n`, 2, /looks separated by "\|"/],
    [`${header}a > > b,1,1,1\n`, 2, /empty step 2/],
    [`${header}"",1,1,1\n`, 2, /empty path/],
    [`${header}a,-1,1,1\n`, 2, /total_conversions -1 is negative/],
    [`${header}a,1,abc,1\n`, 2, /total_conversion_value "abc" is not a number/],
    [`${header}a,1,1,\n`, 2, /missing total_null/],
    [`${header}a,1,1\n`, 2, /expected 4 fields, got 3/],
    [`${header}b,1,1,1\n"a > b,1,1,1\n`, 3, /unterminated quoted field/],
    [`${header}"a"x,1,1,1\n`, 2, /unexpected text after a closing quote/],
  ])('%j → line %i', (text, line, message) => {
    const e = errorOf(text);
    expect(e.line).toBe(line);
    expect(e.message).toMatch(message);
    expect(e.message).toMatch(new RegExp(`^path file line ${line}: `));
  });

  it('streams report the same errors', async () => {
    await expect(parsePathFileLines(['path,total_conversions', 'a,1', 'b,x'])).rejects.toThrow(
      /line 3: total_conversions "x" is not a number/,
    );
  });
});
