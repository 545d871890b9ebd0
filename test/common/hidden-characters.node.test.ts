import { describe, expect, it } from 'vitest';
import {
  findHiddenCharacter,
  hiddenCharacterMessage,
  plainTextProblem,
} from '../../common/hidden-characters';
import { HIDDEN_TEXT, PLAIN_TEXT } from './fixtures/text-corpus';

describe('findHiddenCharacter', () => {
  it.each(HIDDEN_TEXT.map((c) => [c.note, c] as const))(
    'finds the %s in a one-line field, with its kind and code point',
    (_note, c) => {
      expect(findHiddenCharacter(c.text)).toEqual({ kind: c.kind, codePoint: c.codePoint });
    },
  );

  it('allows line feeds and carriage returns in a multi-line field, nothing else hidden', () => {
    for (const c of HIDDEN_TEXT) {
      const found = findHiddenCharacter(c.text, { multiline: true });
      if (c.multilineOk) expect(found, c.note).toBeUndefined();
      else expect(found, c.note).toEqual({ kind: c.kind, codePoint: c.codePoint });
    }
    expect(
      findHiddenCharacter('Ring før levering.\r\nPorten er grønn.', { multiline: true }),
    ).toBeUndefined();
  });

  it.each(PLAIN_TEXT.map((t) => [t]))(
    'lets %j through (letters of any script, emoji, NBSP)',
    (t) => {
      expect(findHiddenCharacter(t)).toBeUndefined();
    },
  );

  it('reports the first hidden character', () => {
    expect(findHiddenCharacter('a\u200bb\u202ec')).toEqual({
      kind: 'invisible',
      codePoint: 'U+200B',
    });
  });
});

describe('plainTextProblem', () => {
  it('names the field and the code point, never the text', () => {
    const message = plainTextProblem('Kari\u202eNordmann', 'The customer name');
    expect(message).toMatch(
      /^The customer name contains a hidden character that changes the direction/,
    );
    expect(message).toContain('U+202E');
    expect(message).not.toContain('Kari');
  });

  it('has a message for every kind', () => {
    for (const kind of ['control', 'line_break', 'direction', 'invisible'] as const) {
      expect(hiddenCharacterMessage('The note', { kind, codePoint: 'U+0000' })).toMatch(
        /^The note /,
      );
    }
  });

  it('is undefined for text that shows what it holds', () => {
    expect(plainTextProblem('Kari Nordmann', 'The customer name')).toBeUndefined();
  });
});
