import { describe, expect, it } from 'vitest';
import { compileExpression, ExpressionError } from './index.js';

const run = (source: string, scope: Record<string, unknown> = {}) => compileExpression(source, { names: Object.keys(scope) })(scope);

function compileError(source: string, names: string[] = ['msg']): ExpressionError {
  try {
    compileExpression(source, { names });
  } catch (error) {
    expect(error).toBeInstanceOf(ExpressionError);
    return error as ExpressionError;
  }
  throw new Error(`"${source}" compiled`);
}

function runError(source: string, scope: Record<string, unknown>): ExpressionError {
  const evaluate = compileExpression(source, { names: Object.keys(scope) });
  try {
    evaluate(scope);
  } catch (error) {
    expect(error).toBeInstanceOf(ExpressionError);
    return error as ExpressionError;
  }
  throw new Error(`"${source}" ran`);
}

describe('expression values', () => {
  it('evaluates number, string, boolean and null literals', () => {
    expect(run('42')).toBe(42);
    expect(run('1.5e3')).toBe(1500);
    expect(run('.25')).toBe(0.25);
    expect(run(`'it\\'s'`)).toBe("it's");
    expect(run('"a\\n\\u00e9\\u{1F600}\\x41"')).toBe('a\né😀A');
    expect(run('true')).toBe(true);
    expect(run('false')).toBe(false);
    expect(run('null')).toBe(null);
    expect(run('undefined')).toBe(undefined);
  });

  it('does arithmetic with JavaScript precedence', () => {
    expect(run('1 + 2 * 3')).toBe(7);
    expect(run('(1 + 2) * 3')).toBe(9);
    expect(run('10 - 4 - 3')).toBe(3);
    expect(run('7 % 4')).toBe(3);
    expect(run('1 / 4')).toBe(0.25);
    expect(run('-2 * -3')).toBe(6);
    expect(run('+"5" + 1')).toBe(6);
  });

  it('concatenates when either side of + is a string, and shows objects as JSON', () => {
    expect(run('"n=" + n', { n: 3 })).toBe('n=3');
    expect(run('"v=" + msg', { msg: { a: 1 } })).toBe('v={"a":1}');
    expect(run('true + 1')).toBe(2);
    expect(run('null + 1')).toBe(1);
  });

  it('treats == as strict equality', () => {
    expect(run('1 == "1"')).toBe(false);
    expect(run('1 == 1')).toBe(true);
    expect(run('1 != "1"')).toBe(true);
    expect(run('null === null')).toBe(true);
    expect(run('msg.a !== 2', { msg: { a: 2 } })).toBe(false);
  });

  it('compares numbers numerically and strings lexically', () => {
    expect(run('2 < 10')).toBe(true);
    expect(run('"2" < "10"')).toBe(false);
    expect(run('3 >= 3 && 4 > 3 && 2 <= 2')).toBe(true);
  });

  it('short-circuits && || ?? and returns the operand like JavaScript', () => {
    expect(run('0 || "x"')).toBe('x');
    expect(run('0 ?? "x"')).toBe(0);
    expect(run('null ?? "x"')).toBe('x');
    expect(run('"" && msg.missing.deep', { msg: {} })).toBe('');
    expect(run('!msg', { msg: 0 })).toBe(true);
  });

  it('evaluates nested right-associative ternaries', () => {
    const grade = compileExpression('n > 90 ? "a" : n > 50 ? "b" : "c"', { names: ['n'] });
    expect([grade({ n: 95 }), grade({ n: 60 }), grade({ n: 1 })]).toEqual(['a', 'b', 'c']);
  });

  it('builds object and array literals, including shorthand properties', () => {
    expect(run('{ a: 1, b: msg.x, "c d": [1, msg.x, 3], n }', { msg: { x: 2 }, n: 7 })).toEqual({ a: 1, b: 2, 'c d': [1, 2, 3], n: 7 });
    expect(run('[]')).toEqual([]);
    expect(run('{}')).toEqual({});
    expect(run('[1, 2,]')).toEqual([1, 2]);
  });

  it('reads members by name, by literal index and by computed index', () => {
    const scope = { msg: { a: { b: [10, 20, 30] }, k: 'a' } };
    expect(run('msg.a.b[1]', scope)).toBe(20);
    expect(run('msg["a"]["b"][2]', scope)).toBe(30);
    expect(run('msg[msg.k].b[0]', scope)).toBe(10);
    expect(run('msg.a.b.length', scope)).toBe(3);
    expect(run('"abc".length')).toBe(3);
    expect(run('msg.nothing', scope)).toBe(undefined);
  });

  it('reads own properties only, never inherited ones', () => {
    const scope = { msg: Object.create({ inherited: 'secret' }) as object };
    expect(run('msg.inherited', scope)).toBe(undefined);
    expect(run('msg.toString', { msg: {} })).toBe(undefined);
    expect(run('msg.hasOwnProperty', { msg: {} })).toBe(undefined);
    expect(run('"abc".toUpperCase', {})).toBe(undefined);
  });

  it('short-circuits a whole member chain at a nullish ?. link', () => {
    expect(run('msg?.a.b.c', { msg: null })).toBe(undefined);
    expect(run('msg.a?.b.c', { msg: {} })).toBe(undefined);
    expect(run('msg.a?.[0]', { msg: { a: [5] } })).toBe(5);
    expect(run('msg?.a', { msg: { a: 1 } })).toBe(1);
    expect(run('n?.5:1', { n: 1 })).toBe(0.5);
  });

  it('does not carry a short-circuit out of parentheses', () => {
    const error = runError('(msg?.a).b', { msg: null });
    expect(error.message).toMatch(/cannot read "b" of undefined/);
  });

  it('calls the whitelisted functions, bare or as Math members', () => {
    expect(run('abs(-2) + floor(1.7) + ceil(1.2) + round(2.5)')).toBe(2 + 1 + 2 + 3);
    expect(run('Math.max(1, 5, 3) + min(4, 2)')).toBe(7);
    expect(run('max(msg)', { msg: [3, 9, 1] })).toBe(9);
    expect(run('sqrt(16) + pow(2, 10)')).toBe(1028);
    expect(run('len("abcd") + len([1, 2]) + len({ a: 1 }) + len(null)')).toBe(7);
    expect(run('upper("ab") + lower("CD") + trim("  e ")')).toBe('ABcde');
    expect(run('string(12) + string({ a: [1] })')).toBe('12{"a":[1]}');
    expect(run('number("3.5") + number(true)')).toBe(4.5);
    expect(run('keys({ a: 1, b: 2 })')).toEqual(['a', 'b']);
    const r = run('random()') as number;
    expect(r).toBeGreaterThanOrEqual(0);
    expect(r).toBeLessThan(1);
    const before = Date.now();
    expect(run('now()')).toBeGreaterThanOrEqual(before);
  });

  it('binds names per call, so one compiled expression serves many messages', () => {
    const double = compileExpression('{ value: msg.value * 2, seq: n }', { names: ['msg', 'n'] });
    expect(double({ msg: { value: 2 }, n: 1 })).toEqual({ value: 4, seq: 1 });
    expect(double({ msg: { value: 5 }, n: 2 })).toEqual({ value: 10, seq: 2 });
  });
});

describe('expression refusals', () => {
  it('refuses __proto__, constructor and prototype when the key is literal', () => {
    for (const source of ['msg.__proto__', 'msg.constructor', 'msg.a.prototype', 'msg["constructor"]', 'msg?.__proto__', '{ __proto__: 1 }', '{ "constructor": 1 }']) {
      const error = compileError(source);
      expect(error.code).toBe('forbidden');
      expect(error.message).toMatch(/property "(__proto__|constructor|prototype)" is not allowed at column \d+/);
    }
  });

  it('refuses a forbidden key computed at run time and names the expression', () => {
    const error = runError('msg[msg.k]', { msg: { k: '__proto__' } });
    expect(error.code).toBe('runtime');
    expect(error.message).toBe('expression "msg[msg.k]": property "__proto__" is not allowed at column 4');
    expect(runError('msg[msg.k]', { msg: { k: 'constructor' } }).code).toBe('runtime');
    expect(runError('msg["con" + "structor"]', { msg: {} }).message).toMatch(/"constructor" is not allowed/);
  });

  it('refuses a computed index that is neither a string nor a number', () => {
    expect(runError('msg[msg]', { msg: {} }).message).toMatch(/an index must be a string or a number, got an object/);
  });

  it('refuses calls to anything but the whitelist', () => {
    for (const source of ['eval("1")', 'Function("x")', 'msg.toString()', 'require("fs")', 'Math.exp(1)', 'msg.a()', '(abs)(1)', 'process.exit()']) {
      const error = compileError(source);
      expect(['unknown-name', 'syntax']).toContain(error.code);
    }
    expect(compileError('eval("1")').message).toMatch(/^"eval" cannot be called \(allowed: abs, .*now\) at column 1$/);
  });

  it('refuses names the caller did not bind', () => {
    const error = compileError('msg.a + globalThis', ['msg']);
    expect(error.code).toBe('unknown-name');
    expect(error.message).toBe('unknown name "globalThis" (known: "msg") at column 9');
  });

  it('refuses binding a name that every object inherits', () => {
    expect(() => compileExpression('1', { names: ['toString'] })).toThrow(TypeError);
    expect(() => compileExpression('1', { names: ['__proto__'] })).toThrow(TypeError);
  });

  it('checks the number of arguments at compile time', () => {
    expect(compileError('abs()').message).toBe('abs() takes 1 argument, got 0 at column 1');
    expect(compileError('pow(1)').message).toBe('pow() takes 2 arguments, got 1 at column 1');
  });

  it('says what is unexpected and at which column', () => {
    expect(compileError('{ a: msg.x, b: 2 }}').message).toBe('unexpected "}" at column 19');
    expect(compileError('msg.a +').message).toBe('unexpected end of expression at column 8');
    expect(compileError('msg # 1').message).toBe('unexpected "#" at column 5');
    expect(compileError('"abc').message).toBe('unterminated string at column 1');
    expect(compileError('msg.').message).toMatch(/^unexpected end of expression \(expected a property name\) at column 5$/);
    expect(compileError('1 = 2').message).toBe('unexpected "=" at column 3');
    expect(compileError('12abc').message).toBe('unexpected "a" after a number at column 3');
    expect(compileError('').message).toBe('unexpected end of expression at column 1');
    expect(compileError('(1').column).toBe(3);
  });

  it('refuses nesting deep enough to overflow the stack', () => {
    expect(compileError('('.repeat(5000) + '1' + ')'.repeat(5000)).message).toMatch(/nested deeper than 200 levels/);
    expect(compileError('!'.repeat(5000) + '1').code).toBe('syntax');
    expect(compileError('['.repeat(5000)).code).toBe('syntax');
  });

  it('reports reading a property of null with the expression and column', () => {
    const error = runError('msg.a.b', { msg: {} });
    expect(error.message).toBe('expression "msg.a.b": cannot read "b" of undefined at column 7');
    expect(error.source).toBe('msg.a.b');
  });
});

describe('expression fuzzing', () => {
  // A seeded generator, so a failure reproduces.
  function random(seed: number): () => number {
    let state = seed >>> 0;
    return () => {
      state = (state * 1664525 + 1013904223) >>> 0;
      return state / 2 ** 32;
    };
  }
  const alphabet = ['msg', '.', 'a', '[', ']', '(', ')', '{', '}', '?', '?.', ':', ',', '"', "'", '\\', '1', '0.5', 'e', '+', '-', '*', '/', '%', '=', '==', '!', '&&', '||', '??', '<', '>', ' ', 'abs', 'len', 'x', '__proto__', 'constructor', 'true', 'null', '\u00e9', '\n', '#', '`', 'Math', '$'];

  const corpus = ['msg.a[1].a * 2 + len(msg.a)', '{ a: msg?.a, b: [1, "x", x], x }', 'msg.a[0] > 0 ? upper(x) : lower("Y")', 'max(msg.a[0], 3) ?? null || !true'];

  it('never crashes on 5,000 random strings: each one compiles or throws an ExpressionError', () => {
    const next = random(20261123);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
    let compiled = 0;
    for (let i = 0; i < 5000; i++) {
      let source = '';
      if (i % 2 === 0) {
        // Random tokens.
        const length = 1 + Math.floor(next() * 24);
        for (let j = 0; j < length; j++) source += pick(alphabet);
      } else {
        // A valid expression with a few characters deleted, inserted or replaced.
        source = pick(corpus);
        for (let edits = 1 + Math.floor(next() * 3); edits > 0; edits--) {
          const at = Math.floor(next() * source.length);
          const op = next();
          source = op < 0.33 ? source.slice(0, at) + source.slice(at + 1) : source.slice(0, at) + pick(alphabet) + source.slice(at + (op < 0.66 ? 0 : 1));
        }
      }
      try {
        const evaluate = compileExpression(source, { names: ['msg', 'x'] });
        compiled++;
        try {
          evaluate({ msg: { a: [1, { a: 2 }] }, x: 'a' });
        } catch (error) {
          expect(error, source).toBeInstanceOf(ExpressionError);
        }
      } catch (error) {
        expect(error, source).toBeInstanceOf(ExpressionError);
      }
    }
    // Enough strings are valid that evaluation is fuzzed too, not only the tokenizer and parser.
    expect(compiled).toBeGreaterThan(100);
  });
});
